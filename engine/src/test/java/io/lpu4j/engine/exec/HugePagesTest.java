package io.lpu4j.engine.exec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HugePagesTest {

    @Test
    void largeAllocationsAreZeroedAlignedWritableAndFreedWithTheirArena() {
        long bytes = 3 * HugePages.PAGE + 12_345;
        MemorySegment memory;
        try (Arena arena = Arena.ofConfined()) {
            memory = HugePages.allocate(arena, bytes, 64);
            assertEquals(bytes, memory.byteSize());
            assertEquals(0, memory.address() % 64);
            for (long at = 0; at < bytes; at += 4093) {
                assertEquals(0, memory.get(ValueLayout.JAVA_BYTE, at), "byte " + at);
            }
            memory.set(ValueLayout.JAVA_LONG_UNALIGNED, bytes - 8, 0x0123456789ABCDEFL);
            memory.set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
            assertEquals(0x0123456789ABCDEFL, memory.get(ValueLayout.JAVA_LONG_UNALIGNED, bytes - 8));
            assertEquals(7, memory.get(ValueLayout.JAVA_BYTE, 0));
        }
        assertFalse(memory.scope().isAlive());
        MemorySegment freed = memory;
        assertThrows(IllegalStateException.class, () -> freed.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void smallAllocationsComeFromTheArenaWithTheAlignmentAsked() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = HugePages.allocate(arena, 1000, 256);
            assertEquals(1000, memory.byteSize());
            assertEquals(0, memory.address() % 256);
            assertEquals(0, HugePages.allocate(arena, 0, 64).byteSize());
        }
    }
}
