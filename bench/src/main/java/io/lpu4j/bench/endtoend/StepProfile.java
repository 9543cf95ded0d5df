package io.lpu4j.bench.endtoend;

import io.lpu4j.engine.exec.StepTimes;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.StepPlan;
import io.lpu4j.engine.plan.StepPlan.StepKind;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where decode time goes, per kind of step (all layers together), from {@link StepTimes} taken
 * over the timed decode steps: {@code lpu bench --steps}.
 *
 * @param step        the kind of step and the ops it fuses
 * @param count       steps of this kind per token
 * @param msPerToken  wall time per token: worker 0's time in the steps and at the barriers after them
 * @param share       of the whole decode step's wall time
 * @param weightMb    weight bytes these steps read per token (codes and scales; the embedding lookup
 *                    reads one row and counts 0)
 * @param gbPerSecond weight bytes ÷ wall time
 * @param busy        the workers' time in the steps ÷ (workers × wall time): the rest is waiting at
 *                    barriers for the slowest worker
 */
public record StepProfile(String step, int count, double msPerToken, double share, double weightMb,
                          double gbPerSecond, double busy) {

    static List<StepProfile> of(Plan plan, StepTimes times, int tokens) {
        Map<String, Long> tensorBytes = EndToEndBenchmark.tensorBytes(plan);
        Map<StepKind, long[]> sums = new EnumMap<>(StepKind.class); // count, wall ns, busy ns, bytes
        long totalWall = 0;
        List<StepPlan> steps = plan.steps();
        for (int s = 0; s < steps.size(); s++) {
            StepPlan step = steps.get(s);
            long wall = times.running(0, s) + times.waiting(0, s);
            long busy = 0;
            for (int w = 0; w < times.workers(); w++) {
                busy += times.running(w, s);
            }
            long bytes = 0;
            if (step.kind() != StepKind.EMBED) {
                for (String tensor : step.tensors()) {
                    bytes += tensorBytes.getOrDefault(tensor, 0L);
                }
            }
            long[] sum = sums.computeIfAbsent(step.kind(), k -> new long[4]);
            sum[0]++;
            sum[1] += wall;
            sum[2] += busy;
            sum[3] += bytes;
            totalWall += wall;
        }
        List<StepProfile> rows = new ArrayList<>();
        for (Map.Entry<StepKind, long[]> e : sums.entrySet()) {
            long[] sum = e.getValue();
            double wallSeconds = sum[1] / 1e9;
            rows.add(new StepProfile(e.getKey().name().toLowerCase() + " (" + e.getKey().ops() + ")", (int) sum[0],
                    sum[1] / 1e6 / tokens, (double) sum[1] / totalWall, sum[3] / 1e6,
                    wallSeconds == 0 ? 0 : sum[3] * (double) tokens / wallSeconds / 1e9,
                    sum[1] == 0 ? 0 : (double) sum[2] / ((double) times.workers() * sum[1])));
        }
        return rows;
    }
}
