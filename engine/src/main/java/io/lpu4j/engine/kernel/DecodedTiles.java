package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * The prefill inner kernel shared by every weight format: up to {@link KernelScratch#ROW_TILE} weight
 * rows, already decoded to F32 (zero-padded), times many tokens. Decoding once per row tile and
 * reusing it across all tokens is what makes prefill compute-bound rather than decode-bound.
 * Four rows × four tokens keep 16 accumulators in registers (measured: ~160 GFLOP/s per core on
 * L2-resident data); the order per (row, token) is the one {@link WeightMatrix} specifies.
 */
final class DecodedTiles {
    static final int TILE = KernelScratch.ROW_TILE;
    /**
     * Columns per pass of the four-by-four tile: its four weight rows over these columns (16 KB) stay
     * in L1 while a batch of token groups passes over them. A whole tile of long rows does not fit
     * (5632 columns: 90 KB), and every token group read it again from L2. JMH {@code MatMulBenchmark}
     * (128 tokens, one thread, single forks of each build taking turns, products/s): 2048×5632 F32
     * 39.6–41.7 against 36.4–36.8, FP8_CHANNEL 37.7–39.1 against 34.0–34.9; 5632×2048 (two chunks of
     * its 2048 columns) unchanged, 41.3–44.2 against 41.7–44.6.
     */
    private static final int COLUMN_CHUNK = 1024;
    /** Token groups carried through the column passes together (their accumulators: 8 KB, in L1). */
    static final int GROUPS_PER_BATCH = 8;

    private DecodedTiles() {
    }

    /**
     * For the {@code rowCount} decoded rows (row i at float {@code i * stride} of {@code w}, matrix
     * row {@code firstRow + i}) and all tokens: {@code out[firstOut + t * outStride + i] =
     * sum(dot) * scale[i]}. With {@code blocks} (a block-scaled matrix), each column block's dot is
     * summed on its own and added times its scale ({@link Fp8BlockMatrix}), the same order as the
     * one-token loops.
     */
    static void multiply(MemorySegment w, int stride, int rowCount, float[] scales, BlockScales blocks, int firstRow,
                         int cols, MemorySegment x, int tokens, MemorySegment out, int outStride, long firstOut,
                         MemorySegment acc) {
        int width = Lanes.padded(cols);
        int t = 0;
        if (rowCount == TILE && blocks == null) {
            t = fourByFourTiles(w, stride, width, x, tokens, scales, out, outStride, firstOut, acc);
        } else if (rowCount == TILE) {
            for (; t + TILE <= tokens; t += TILE) {
                fourByTwoBlocks(w, stride, width, x, (long) t * width, blocks, firstRow, acc, 0);
                fourByTwoBlocks(w, stride, width, x, (long) (t + 2) * width, blocks, firstRow, acc, 2 * TILE);
                LaneSums.reduce(acc, 0);
                store(acc, 0, t, scales, out, outStride, firstOut);
            }
        }
        // Leftover tokens (or a short row tile): one (row, token) accumulator at a time, reduced in groups.
        int pairs = (tokens - t) * rowCount;
        for (int first = 0; first < pairs; first += LaneSums.GROUP) {
            int n = Math.min(LaneSums.GROUP, pairs - first);
            for (int j = 0; j < n; j++) {
                int token = t + (first + j) / rowCount;
                int row = (first + j) % rowCount;
                if (blocks == null) {
                    spillDot(w, (long) row * stride, x, (long) token * width, width, acc, j);
                } else {
                    spillBlockDot(w, (long) row * stride, x, (long) token * width, width, blocks, firstRow + row, acc, j);
                }
            }
            LaneSums.reduce(acc, 0);
            for (int j = 0; j < n; j++) {
                int token = t + (first + j) / rowCount;
                int row = (first + j) % rowCount;
                out.setAtIndex(FLOAT, firstOut + (long) token * outStride + row, acc.getAtIndex(FLOAT, j) * scales[row]);
            }
        }
    }

    /**
     * Every whole group of {@link #TILE} tokens through the four rows, in batches of
     * {@link #GROUPS_PER_BATCH} groups: for each {@link #COLUMN_CHUNK} columns in turn, every group of
     * the batch, the accumulators carried in {@code acc} from one chunk to the next (stored and
     * loaded exactly, so each (row, token) keeps the one chain the contract gives). Returns the
     * first token left over.
     */
    private static int fourByFourTiles(MemorySegment w, int stride, int width, MemorySegment x, int tokens,
                                       float[] scales, MemorySegment out, int outStride, long firstOut,
                                       MemorySegment acc) {
        int groups = tokens / TILE;
        for (int first = 0; first < groups; first += GROUPS_PER_BATCH) {
            int end = Math.min(groups, first + GROUPS_PER_BATCH);
            for (long at = 0; at < (long) (end - first) * TILE * TILE * N * Float.BYTES; at += (long) N * Float.BYTES) {
                FloatVector.zero(F).intoMemorySegment(acc, at, ORDER);
            }
            for (int from = 0; from < width; from += COLUMN_CHUNK) {
                int to = Math.min(width, from + COLUMN_CHUNK);
                for (int g = first; g < end; g++) {
                    fourByFour(w, stride, from, to, width, x, (long) g * TILE * width, acc, (g - first) * TILE * TILE);
                }
            }
            for (int g = first; g < end; g++) {
                int slot = (g - first) * TILE * TILE;
                LaneSums.reduce(acc, slot);
                store(acc, slot, g * TILE, scales, out, outStride, firstOut);
            }
        }
        return groups * TILE;
    }

    /** A reduced tile's sixteen sums (slot {@code slot}, token-major) times the rows' scales into the output. */
    private static void store(MemorySegment acc, int slot, int firstToken, float[] scales, MemorySegment out,
                              int outStride, long firstOut) {
        for (int token = 0; token < TILE; token++) {
            for (int i = 0; i < TILE; i++) {
                out.setAtIndex(FLOAT, firstOut + (long) (firstToken + token) * outStride + i,
                        acc.getAtIndex(FLOAT, (long) slot * N + token * TILE + i) * scales[i]);
            }
        }
    }

    /** One row of w against one row of x, the accumulator stored at slot {@code slot} of {@code acc}. */
    static void spillDot(MemorySegment w, long wFloat, MemorySegment x, long xFloat, int width,
                         MemorySegment acc, int slot) {
        FloatVector a = FloatVector.zero(F);
        for (int k = 0; k < width; k += N) {
            a = Decode.f32(w, wFloat + k).fma(Decode.f32(x, xFloat + k), a);
        }
        a.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
    }

    /** As {@link #spillDot}, each column block summed on its own and added times matrix row {@code row}'s scale. */
    private static void spillBlockDot(MemorySegment w, long wFloat, MemorySegment x, long xFloat, int width,
                                      BlockScales blocks, int row, MemorySegment acc, int slot) {
        FloatVector total = FloatVector.zero(F);
        long first = blocks.rowStart(row);
        for (int from = 0, j = 0; from < width; from += blocks.size(), j++) {
            FloatVector a = FloatVector.zero(F);
            for (int k = from, end = Math.min(width, from + blocks.size()); k < end; k += N) {
                a = Decode.f32(w, wFloat + k).fma(Decode.f32(x, xFloat + k), a);
            }
            total = a.fma(FloatVector.broadcast(F, blocks.at(first + j)), total);
        }
        total.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
    }

    /**
     * 4 rows × 4 tokens over columns [from, to): the 16 accumulators, token-major from slot
     * {@code slot} of {@code acc}, are loaded, advanced and stored back.
     */
    private static void fourByFour(MemorySegment w, int stride, int from, int to, int width, MemorySegment x, long x0,
                                   MemorySegment acc, int slot) {
        // Always loaded, zeros before the first chunk: a vector chosen by a condition (loaded or
        // zero) was boxed by C2, and prefill ran 13 times slower.
        long s = (long) slot * N;
        FloatVector a00 = Decode.f32(acc, s), a10 = Decode.f32(acc, s + N);
        FloatVector a20 = Decode.f32(acc, s + 2 * N), a30 = Decode.f32(acc, s + 3 * N);
        FloatVector a01 = Decode.f32(acc, s + 4 * N), a11 = Decode.f32(acc, s + 5 * N);
        FloatVector a21 = Decode.f32(acc, s + 6 * N), a31 = Decode.f32(acc, s + 7 * N);
        FloatVector a02 = Decode.f32(acc, s + 8 * N), a12 = Decode.f32(acc, s + 9 * N);
        FloatVector a22 = Decode.f32(acc, s + 10 * N), a32 = Decode.f32(acc, s + 11 * N);
        FloatVector a03 = Decode.f32(acc, s + 12 * N), a13 = Decode.f32(acc, s + 13 * N);
        FloatVector a23 = Decode.f32(acc, s + 14 * N), a33 = Decode.f32(acc, s + 15 * N);
        long x1 = x0 + width, x2 = x1 + width, x3 = x2 + width;
        for (int k = from; k < to; k += N) {
            FloatVector w0 = Decode.f32(w, k);
            FloatVector w1 = Decode.f32(w, stride + k);
            FloatVector w2 = Decode.f32(w, 2L * stride + k);
            FloatVector w3 = Decode.f32(w, 3L * stride + k);
            FloatVector v = Decode.f32(x, x0 + k);
            a00 = w0.fma(v, a00); a10 = w1.fma(v, a10); a20 = w2.fma(v, a20); a30 = w3.fma(v, a30);
            v = Decode.f32(x, x1 + k);
            a01 = w0.fma(v, a01); a11 = w1.fma(v, a11); a21 = w2.fma(v, a21); a31 = w3.fma(v, a31);
            v = Decode.f32(x, x2 + k);
            a02 = w0.fma(v, a02); a12 = w1.fma(v, a12); a22 = w2.fma(v, a22); a32 = w3.fma(v, a32);
            v = Decode.f32(x, x3 + k);
            a03 = w0.fma(v, a03); a13 = w1.fma(v, a13); a23 = w2.fma(v, a23); a33 = w3.fma(v, a33);
        }
        // Spilled directly here: passing vectors to a helper that C2 declines to inline would box them.
        long b = (long) N * Float.BYTES;
        long at = s * Float.BYTES;
        a00.intoMemorySegment(acc, at, ORDER); a10.intoMemorySegment(acc, at + b, ORDER);
        a20.intoMemorySegment(acc, at + 2 * b, ORDER); a30.intoMemorySegment(acc, at + 3 * b, ORDER);
        a01.intoMemorySegment(acc, at + 4 * b, ORDER); a11.intoMemorySegment(acc, at + 5 * b, ORDER);
        a21.intoMemorySegment(acc, at + 6 * b, ORDER); a31.intoMemorySegment(acc, at + 7 * b, ORDER);
        a02.intoMemorySegment(acc, at + 8 * b, ORDER); a12.intoMemorySegment(acc, at + 9 * b, ORDER);
        a22.intoMemorySegment(acc, at + 10 * b, ORDER); a32.intoMemorySegment(acc, at + 11 * b, ORDER);
        a03.intoMemorySegment(acc, at + 12 * b, ORDER); a13.intoMemorySegment(acc, at + 13 * b, ORDER);
        a23.intoMemorySegment(acc, at + 14 * b, ORDER); a33.intoMemorySegment(acc, at + 15 * b, ORDER);
    }

    /**
     * 4 rows (matrix rows {@code firstRow}..) × 2 tokens of a block-scaled matrix: each column
     * block's eight sums from zero, then added times their rows' scales to eight totals, spilled to
     * {@code acc} from slot {@code slot}, token-major. Two tokens, not four, so that the block sums
     * and the totals all stay in registers (32 vectors would not fit beside the weights).
     */
    private static void fourByTwoBlocks(MemorySegment w, int stride, int width, MemorySegment x, long x0,
                                        BlockScales blocks, int firstRow, MemorySegment acc, int slot) {
        FloatVector t00 = FloatVector.zero(F), t10 = t00, t20 = t00, t30 = t00;
        FloatVector t01 = t00, t11 = t00, t21 = t00, t31 = t00;
        long x1 = x0 + width;
        long r0 = blocks.rowStart(firstRow);
        long r1 = blocks.rowStart(firstRow + 1);
        long r2 = blocks.rowStart(firstRow + 2);
        long r3 = blocks.rowStart(firstRow + 3);
        FloatVector a00 = FloatVector.zero(F), a10 = a00, a20 = a00, a30 = a00;
        FloatVector a01 = a00, a11 = a00, a21 = a00, a31 = a00;
        // One loop over all columns, the block's sums added to the totals at each block's last
        // vector: a loop per block (8 vectors long) ran at 60 % of this speed.
        int blockEnd = Math.min(blocks.size(), width);
        for (int k = 0, j = 0; k < width; k += N) {
            FloatVector w0 = Decode.f32(w, k);
            FloatVector w1 = Decode.f32(w, stride + k);
            FloatVector w2 = Decode.f32(w, 2L * stride + k);
            FloatVector w3 = Decode.f32(w, 3L * stride + k);
            FloatVector v = Decode.f32(x, x0 + k);
            a00 = w0.fma(v, a00); a10 = w1.fma(v, a10); a20 = w2.fma(v, a20); a30 = w3.fma(v, a30);
            v = Decode.f32(x, x1 + k);
            a01 = w0.fma(v, a01); a11 = w1.fma(v, a11); a21 = w2.fma(v, a21); a31 = w3.fma(v, a31);
            if (k + N == blockEnd) {
                FloatVector s0 = FloatVector.broadcast(F, blocks.at(r0 + j));
                FloatVector s1 = FloatVector.broadcast(F, blocks.at(r1 + j));
                FloatVector s2 = FloatVector.broadcast(F, blocks.at(r2 + j));
                FloatVector s3 = FloatVector.broadcast(F, blocks.at(r3 + j));
                t00 = a00.fma(s0, t00); t10 = a10.fma(s1, t10); t20 = a20.fma(s2, t20); t30 = a30.fma(s3, t30);
                t01 = a01.fma(s0, t01); t11 = a11.fma(s1, t11); t21 = a21.fma(s2, t21); t31 = a31.fma(s3, t31);
                a00 = FloatVector.zero(F); a10 = a00; a20 = a00; a30 = a00;
                a01 = a00; a11 = a00; a21 = a00; a31 = a00;
                j++;
                blockEnd = Math.min(blockEnd + blocks.size(), width);
            }
        }
        long b = (long) N * Float.BYTES;
        long at = slot * b;
        t00.intoMemorySegment(acc, at, ORDER); t10.intoMemorySegment(acc, at + b, ORDER);
        t20.intoMemorySegment(acc, at + 2 * b, ORDER); t30.intoMemorySegment(acc, at + 3 * b, ORDER);
        t01.intoMemorySegment(acc, at + 4 * b, ORDER); t11.intoMemorySegment(acc, at + 5 * b, ORDER);
        t21.intoMemorySegment(acc, at + 6 * b, ORDER); t31.intoMemorySegment(acc, at + 7 * b, ORDER);
    }
}
