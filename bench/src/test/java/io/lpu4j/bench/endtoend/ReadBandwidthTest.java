package io.lpu4j.bench.endtoend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe's shape, not its speed: how many figures it returns and that reads larger than the buffer wrap. */
class ReadBandwidthTest {

    @Test
    void stepTimesGivesOneDurationPerStepAndWrapsAroundTheBuffer() {
        try (ReadBandwidth probe = new ReadBandwidth(1 << 20, 2)) {
            long[] times = probe.stepTimes(3L << 20, 5);
            assertEquals(5, times.length);
            for (long t : times) {
                assertTrue(t > 0, "step time " + t);
            }
        }
    }

    @Test
    void oneThreadAndTinyStepsWork() {
        try (ReadBandwidth probe = new ReadBandwidth(1 << 16, 1)) {
            assertEquals(3, probe.stepTimes(100, 3).length);
            for (double rate : probe.measure(2)) {
                assertTrue(rate > 0, "rate " + rate);
            }
        }
    }
}
