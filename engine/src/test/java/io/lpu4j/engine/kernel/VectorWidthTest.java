package io.lpu4j.engine.kernel;

import io.lpu4j.engine.UnsupportedMachineException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorWidthTest {

    @Test
    void narrowVectorsAreRefusedWithTheWidthAndWhatIsNeeded() {
        UnsupportedMachineException e = assertThrows(UnsupportedMachineException.class, () -> VectorWidth.require(128));
        assertTrue(e.getMessage().contains("128 bits"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 256"), e.getMessage());
    }

    @Test
    void avx2AndAvx512WidthsAreAccepted() {
        assertDoesNotThrow(() -> VectorWidth.require(256));
        assertDoesNotThrow(() -> VectorWidth.require(512));
    }
}
