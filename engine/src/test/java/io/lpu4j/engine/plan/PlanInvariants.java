package io.lpu4j.engine.plan;

import io.lpu4j.engine.plan.ExpectedTensors.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lpu4j.engine.plan.ExpectedTensors.footprint;
import static io.lpu4j.engine.plan.ExpectedTensors.paddedRowBytes;
import static io.lpu4j.engine.plan.ExpectedTensors.roundUp;
import static io.lpu4j.engine.plan.ExpectedTensors.scaleBytes;
import static io.lpu4j.engine.plan.ExpectedTensors.valueBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What every plan's shards must satisfy, checked against {@link ExpectedTensors}. */
final class PlanInvariants {
    private PlanInvariants() {
    }

    /** Runs every check; returns the bytes of padding (rows and alignment) the test computed. */
    static long checkAll(Plan plan, List<Tensor> expected) {
        long padding = checkLayoutAndBytes(plan, expected);
        checkRowsCoveredOnce(plan, expected);
        checkExecutionOrder(plan, expected);
        checkShardsFilledGreedily(plan, expected);
        return padding;
    }

    /**
     * Each shard within the budget; its placements back to back from offset 0, each 64-byte aligned
     * with its scales right after its codes; and the shard's bytes exactly the values and scales
     * plus the padding that the rules (rows padded to 64 bytes, pieces 64-byte aligned) require.
     */
    static long checkLayoutAndBytes(Plan plan, List<Tensor> expected) {
        Map<String, Tensor> byName = byName(expected);
        long budget = plan.settings().shardBudgetBytes();
        int blockSize = plan.settings().blockSize();
        long payload = 0;
        long padding = 0;
        for (int i = 0; i < plan.shards().size(); i++) {
            ShardPlan shard = plan.shards().get(i);
            assertEquals(i, shard.index());
            assertFalse(shard.placements().isEmpty(), "shard " + i + " is empty");
            assertTrue(shard.bytes() <= budget, "shard " + i + " holds " + shard.bytes() + " > " + budget);
            long end = 0;
            for (TensorPlacement p : shard.placements()) {
                Tensor t = byName.get(p.tensor());
                String where = "shard " + i + " " + p.tensor() + " rows " + p.rowFrom() + ".." + p.rowTo();
                assertTrue(t != null, "unexpected tensor " + p.tensor());
                assertEquals(List.of(t.storage(), t.rows(), t.cols()), List.of(p.storage(), p.rows(), p.cols()), where);
                assertEquals(i, p.shard(), where);
                assertEquals(end, p.offset(), where + ": not right after the previous piece");
                assertEquals(0, p.offset() % 64, where);
                long values = valueBytes(t.storage(), p.rowCount(), t.cols());
                long rows = paddedRowBytes(t.storage(), p.rowCount(), t.cols());
                long scales = scaleBytes(t.storage(), p.rowCount(), t.cols(), blockSize);
                assertEquals(rows, p.dataBytes(), where + ": data bytes");
                assertEquals(scales, p.scalesBytes(), where + ": scale bytes");
                assertEquals(p.offset() + roundUp(rows), p.scalesOffset(), where + ": scales right after the codes");
                payload += values + scales;
                padding += (rows - values) + (roundUp(rows) - rows) + (roundUp(scales) - scales);
                end = p.scalesOffset() + roundUp(scales);
            }
            assertEquals(end, shard.bytes(), "shard " + i + " ends where its last piece does");
        }
        assertEquals(payload + padding, plan.weightBytes(), "shard bytes = values + scales + padding");
        return padding;
    }

    /**
     * Each tensor's pieces cover rows [0, rows) in order, once; cuts fall on block edges (FP8_BLOCK)
     * or on groups of interleaved rows (the other formats but F32).
     */
    static void checkRowsCoveredOnce(Plan plan, List<Tensor> expected) {
        int blockSize = plan.settings().blockSize();
        for (Tensor t : expected) {
            List<TensorPlacement> pieces = plan.placements(t.name());
            assertFalse(pieces.isEmpty(), t.name() + " is not placed");
            int next = 0;
            for (TensorPlacement p : pieces) {
                assertEquals(next, p.rowFrom(), t.name() + ": gap or overlap at row " + next);
                assertTrue(p.rowTo() > p.rowFrom(), t.name() + ": empty piece");
                assertEquals(0, p.rowFrom() % pieceUnit(t.storage(), blockSize), t.name() + " cut inside a unit of rows");
                next = p.rowTo();
            }
            assertEquals(t.rows(), next, t.name() + ": rows missing at the end");
        }
        long placed = plan.shards().stream().mapToLong(s -> s.placements().size()).sum();
        long pieces = expected.stream().mapToLong(t -> plan.placements(t.name()).size()).sum();
        assertEquals(pieces, placed, "placements of tensors that are not in the model");
    }

    /**
     * Shards hold tensors in the order the forward pass reads them: the embedding first, layer
     * numbers never decreasing, the final norm and lm_head last; within a layer in step order.
     */
    static void checkExecutionOrder(Plan plan, List<Tensor> expected) {
        List<String> order = new ArrayList<>();
        int lastLayer = -1;
        List<TensorPlacement> all = plan.shards().stream().flatMap(s -> s.placements().stream()).toList();
        for (TensorPlacement p : all) {
            if (order.isEmpty() || !order.getLast().equals(p.tensor())) {
                order.add(p.tensor());
            }
            if (p.layer() >= 0) {
                assertTrue(p.layer() >= lastLayer, p.tensor() + " after layer " + lastLayer);
                lastLayer = p.layer();
            }
        }
        assertEquals("model.embed_tokens.weight", all.getFirst().tensor());
        String head = expected.getLast().name();
        assertEquals(head, all.getLast().tensor());
        assertEquals(expected.stream().map(Tensor::name).toList(), order);
    }

    /**
     * No shard was closed early: the first piece of the next shard could not have been grown into it
     * by one more unit (a row of F32; a scale block of rows for FP8_BLOCK; a group of interleaved
     * rows, four, for the other formats).
     */
    static int pieceUnit(StorageType storage, int blockSize) {
        if (storage == StorageType.FP8_BLOCK) {
            return blockSize;
        }
        return storage == StorageType.F32 ? 1 : 4;
    }

    static void checkShardsFilledGreedily(Plan plan, List<Tensor> expected) {
        Map<String, Tensor> byName = byName(expected);
        long budget = plan.settings().shardBudgetBytes();
        int blockSize = plan.settings().blockSize();
        for (int i = 0; i + 1 < plan.shards().size(); i++) {
            ShardPlan shard = plan.shards().get(i);
            TensorPlacement last = shard.placements().getLast();
            TensorPlacement next = plan.shards().get(i + 1).placements().getFirst();
            Tensor t = byName.get(next.tensor());
            int unit = pieceUnit(t.storage(), blockSize);
            int more = Math.min(unit, t.rows() - next.rowFrom());
            long grown;
            if (last.tensor().equals(next.tensor())) {
                grown = shard.bytes() - footprint(t.storage(), last.rowCount(), t.cols(), blockSize)
                        + footprint(t.storage(), last.rowCount() + more, t.cols(), blockSize);
            } else {
                grown = shard.bytes() + footprint(t.storage(), more, t.cols(), blockSize);
            }
            if (grown <= budget) {
                fail("shard " + i + " (" + shard.bytes() + " bytes) had room for " + more + " more row(s) of "
                        + next.tensor() + " (" + grown + " <= " + budget + ")");
            }
        }
    }

    private static Map<String, Tensor> byName(List<Tensor> tensors) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        tensors.forEach(t -> map.put(t.name(), t));
        return map;
    }
}
