package io.lpu4j.bench.endtoend;

import io.lpu4j.engine.exec.ShardCache;
import io.lpu4j.engine.plan.WeightFormat;

import java.util.List;

/**
 * How {@code lpu bench} measures.
 *
 * @param formats         loaded together in one process, their timed runs taking turns
 * @param threads         worker threads (and bandwidth-probe threads)
 * @param promptTokens    prefill length
 * @param genTokens       decode steps per repetition
 * @param repetitions     prefill and decode runs per format (medians and pooled percentiles)
 * @param bandwidthBytes  size of the bandwidth probe's buffer (well beyond the caches)
 * @param cache           shard cache, or null
 * @param profileSteps    also time every step of the timed decode steps ({@link StepProfile})
 */
public record BenchSettings(List<WeightFormat> formats, int threads, int promptTokens, int genTokens,
                            int repetitions, long bandwidthBytes, ShardCache cache, boolean profileSteps) {
    public BenchSettings {
        formats = List.copyOf(formats);
    }
}
