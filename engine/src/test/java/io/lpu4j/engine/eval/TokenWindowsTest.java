package io.lpu4j.engine.eval;

import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenWindowsTest {

    /** Records each forward call and answers every position with logits = [the token it was fed]. */
    static final class RecordingModel implements CausalLM {
        final List<int[]> calls = new ArrayList<>();
        final float[] logits = new float[1];

        @Override
        public void forward(int[] tokens, int count, int start, LogitsListener everyPosition) {
            assertEquals(0, start, "every window starts a fresh context at position 0");
            calls.add(Arrays.copyOf(tokens, count));
            for (int i = 0; i < count; i++) {
                logits[0] = tokens[i];
                everyPosition.onLogits(start + i, logits);
            }
        }

        @Override
        public ModelConfig config() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int contextLength() {
            return 4;
        }

        @Override
        public float[] logits() {
            return logits;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everyPredictionIsMadeOnceFromItsOwnWindow() {
        int[] tokens = IntStream.range(100, 111).toArray(); // 11 tokens, 10 predictions
        TokenWindows windows = new TokenWindows(tokens, 4);
        assertEquals(10, windows.predictions());
        assertEquals(3, windows.count());
        RecordingModel model = new RecordingModel();
        List<Integer> indices = new ArrayList<>();
        windows.run(model, (index, logits) -> {
            assertEquals(tokens[index], logits[0], "prediction i is made at token i");
            indices.add(index);
        });
        assertEquals(IntStream.range(0, 10).boxed().toList(), indices);
        assertArrayEquals(new int[] {100, 101, 102, 103}, model.calls.get(0));
        assertArrayEquals(new int[] {104, 105, 106, 107}, model.calls.get(1));
        assertArrayEquals(new int[] {108, 109}, model.calls.get(2), "the last token is only a target");
    }

    @Test
    void aFinalTokenAloneMakesNoWindow() {
        assertEquals(2, new TokenWindows(new int[9], 4).count());
    }

    @Test
    void oneTokenHasNothingToPredict() {
        assertThrows(IllegalArgumentException.class, () -> new TokenWindows(new int[1], 4));
    }
}
