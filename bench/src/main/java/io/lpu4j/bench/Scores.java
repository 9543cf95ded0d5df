package io.lpu4j.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

/**
 * Every measured iteration of a benchmark (all forks, and all runs given), each converted to the
 * unit the report shows. The report's figure is their median, not JMH's score (a mean, which one
 * slow iteration on a shared machine drags down); min and max show the spread.
 */
final class Scores {
    private final double[] sorted;

    private Scores(double[] sorted) {
        this.sorted = sorted;
    }

    /** Turns JMH's score of one iteration (in the benchmark's mode and unit) into the report's unit. */
    interface Conversion {
        double apply(BenchmarkParams params, double score);
    }

    static Scores of(Collection<RunResult> runs, Conversion convert) {
        return ofIterations(runs, i -> convert.apply(i.getBenchmarkParams(), i.getPrimaryResult().getScore()));
    }

    /** One value per measured iteration, computed from anything the iteration recorded (auxiliary counters too). */
    static Scores ofIterations(Collection<RunResult> runs, ToDoubleFunction<IterationResult> value) {
        double[] values = runs.stream()
                .flatMap(run -> run.getBenchmarkResults().stream())
                .flatMap(fork -> fork.getIterationResults().stream())
                .mapToDouble(value)
                .sorted()
                .toArray();
        if (values.length == 0) {
            throw new IllegalArgumentException("no measured iterations");
        }
        return new Scores(values);
    }

    double median() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    int count() {
        return sorted.length;
    }
}
