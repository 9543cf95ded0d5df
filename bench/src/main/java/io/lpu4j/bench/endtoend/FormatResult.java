package io.lpu4j.bench.endtoend;

import java.util.List;

/**
 * What {@code lpu bench} measured for one weight format. Times are medians over the repetitions.
 *
 * @param format              the --weights value
 * @param loadSeconds         plan + shards filled (or read from the cache) + steps compiled
 * @param fromCache           shards read from the shard cache
 * @param prefillTokensPerSecond prompt tokens / median prefill time
 * @param prefillGflopsPerCore   matmul FLOPs of the prefill / median time / threads
 * @param timeToFirstTokenMs  median of prefill + choosing the first token
 * @param decodeTokensPerSecond 1 / median per-token latency
 * @param latencyP50Ms        per-token decode latency (forward pass + sampling), all repetitions pooled
 * @param latencyP99Ms        99th percentile of the same
 * @param latencyMaxMs        worst of the same
 * @param runP99OverP50       each run's own p99/p50, median over the runs: the spread within one
 *                            generation, without the drift of the shared machine's memory between runs
 *                            (minutes apart, the formats taking turns), which the pooled figures include
 * @param weightBytesPerToken bytes of weights (codes + scales) one decode step reads
 * @param bandwidthBytesPerSecond read bandwidth, same thread count: median of passes taken just before each of
 *                            this format's timed runs and after the last run of all
 * @param rooflineFraction    weightBytesPerToken × decode tok/s ÷ bandwidth
 * @param readP99OverP50      the host's own floor under latencyP99Ms / latencyP50Ms: p99/p50 of plain vector
 *                            sums of weightBytesPerToken bytes, same threads, one after another (as many as
 *                            the timed decode steps, fewer if they would take over 10 s)
 * @param offHeapBytes        shards + activation arena + KV cache
 * @param steps               where decode time goes, per kind of step; empty unless asked for
 * @param rssAddedBytes       resident memory (VmRSS) this format's loading added: shards, arena, KV cache and
 *                            whatever of the checkpoint it read (0 where VmRSS is not known)
 */
public record FormatResult(String format, double loadSeconds, boolean fromCache,
                           double prefillTokensPerSecond, double prefillGflopsPerCore, double timeToFirstTokenMs,
                           double decodeTokensPerSecond, double latencyP50Ms, double latencyP99Ms, double latencyMaxMs,
                           double runP99OverP50,
                           long weightBytesPerToken, double bandwidthBytesPerSecond, double rooflineFraction,
                           double readP99OverP50,
                           long offHeapBytes, long rssAddedBytes, List<StepProfile> steps) {
    public FormatResult {
        steps = List.copyOf(steps);
    }
}
