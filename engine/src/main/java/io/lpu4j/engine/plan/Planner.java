package io.lpu4j.engine.plan;

import io.lpu4j.engine.kernel.RowLayout;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.StepPlan.SplitUnit;
import io.lpu4j.engine.plan.StepPlan.StepKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lpu4j.engine.model.TensorNames.*;

/**
 * Makes a {@link Plan} from a config alone (no weights needed, so models too big for this machine
 * can be planned). Weights are packed into shards in the order the steps read them, so execution
 * walks the shards front to back; a tensor that does not fit is split by output rows.
 */
public final class Planner {
    private static final int ALIGN = RowLayout.ALIGNMENT;
    /**
     * Output-row work is split among workers in multiples of this many rows: a multiple of the
     * prefill row tile (4) and of every group of interleaved rows (InterleavedMatrix: 4 or 8).
     */
    private static final int ROW_ALIGN = 8;

    private Planner() {
    }

    /** One tensor as the plan sees it (1-D tensors are one row). */
    record TensorSpec(String name, StorageType storage, int rows, int cols, int layer) {
    }

    public static Plan plan(ModelConfig c, PlanSettings s) {
        List<TensorSpec> tensors = tensorsInOrder(c, s);
        List<ShardPlan> shards = pack(tensors, s);
        List<StepPlan> steps = steps(c, s);
        Map<String, BufferPlan> buffers = buffers(c, s);
        long arenaBytes = buffers.values().stream().mapToLong(b -> b.offset() + b.bytes()).max().orElse(0);
        long kvCache = 2L * c.numLayers() * c.numKvHeads() * s.contextLength() * c.headDim()
                * s.format().activations().bytes();
        return new Plan(c, s, shards, steps, List.copyOf(buffers.values()), arenaBytes, kvCache);
    }

    static List<TensorSpec> tensorsInOrder(ModelConfig c, PlanSettings s) {
        StorageType linear = s.format().linearStorage();
        StorageType embedding = s.format().embeddingStorage(s.quantizeEmbeddings());
        int dim = c.hiddenSize();
        List<TensorSpec> list = new ArrayList<>();
        list.add(new TensorSpec(EMBEDDING, embedding, c.vocabSize(), dim, -1));
        for (int l = 0; l < c.numLayers(); l++) {
            list.add(new TensorSpec(attentionNorm(l), StorageType.F32, 1, dim, l));
            String[] projections = {"q_proj", "k_proj", "v_proj"};
            int[] widths = {c.queryDim(), c.kvDim(), c.kvDim()};
            for (int i = 0; i < 3; i++) {
                list.add(new TensorSpec(attention(l, projections[i], "weight"), linear, widths[i], dim, l));
                if (c.qkvBias()) {
                    list.add(new TensorSpec(attention(l, projections[i], "bias"), StorageType.F32, 1, widths[i], l));
                }
            }
            list.add(new TensorSpec(attention(l, "o_proj", "weight"), linear, dim, c.queryDim(), l));
            if (c.outputBias()) {
                list.add(new TensorSpec(attention(l, "o_proj", "bias"), StorageType.F32, 1, dim, l));
            }
            list.add(new TensorSpec(mlpNorm(l), StorageType.F32, 1, dim, l));
            list.add(new TensorSpec(mlp(l, "gate_proj"), linear, c.intermediateSize(), dim, l));
            list.add(new TensorSpec(mlp(l, "up_proj"), linear, c.intermediateSize(), dim, l));
            list.add(new TensorSpec(mlp(l, "down_proj"), linear, dim, c.intermediateSize(), l));
        }
        list.add(new TensorSpec(FINAL_NORM, StorageType.F32, 1, dim, -1));
        if (!c.tiedEmbeddings()) {
            list.add(new TensorSpec(LM_HEAD, embedding, c.vocabSize(), dim, -1));
        }
        return list;
    }

    /** Greedy packing in execution order; oversized tensors fill the current shard, then whole new ones. */
    static List<ShardPlan> pack(List<TensorSpec> tensors, PlanSettings s) {
        long budget = s.shardBudgetBytes();
        List<ShardPlan> shards = new ArrayList<>();
        List<TensorPlacement> current = new ArrayList<>();
        long used = 0;
        for (TensorSpec t : tensors) {
            int unit = pieceUnit(t.storage(), s.blockSize());
            int row = 0;
            while (row < t.rows()) {
                int fit = rowsThatFit(t, t.rows() - row, unit, budget - used, s.blockSize());
                if (fit == 0) {
                    if (current.isEmpty()) {
                        int least = Math.min(unit, t.rows() - row);
                        throw new IllegalArgumentException("a shard budget of " + budget + " bytes cannot hold "
                                + (least == 1 ? "one row" : least + " rows (" + unitName(t.storage()) + ")") + " of " + t.name()
                                + " (" + t.storage() + ", " + t.cols() + " columns), which needs "
                                + footprint(t, least, s.blockSize()) + " bytes");
                    }
                    shards.add(new ShardPlan(shards.size(), used, current));
                    current = new ArrayList<>();
                    used = 0;
                    continue;
                }
                int rowTo = Math.min(t.rows(), row + fit);
                TensorPlacement p = place(t, row, rowTo, shards.size(), used, s.blockSize());
                current.add(p);
                used = p.scalesOffset() + align(p.scalesBytes());
                row = rowTo;
            }
        }
        if (!current.isEmpty()) {
            shards.add(new ShardPlan(shards.size(), used, current));
        }
        return shards;
    }

    /**
     * Every piece of a tensor but its last holds a multiple of this many rows: a scale block, or for
     * the other narrow formats a group of interleaved rows, so that the workers' row ranges,
     * multiples of {@link #ROW_ALIGN}, start on a group in every piece.
     */
    private static int pieceUnit(StorageType storage, int blockSize) {
        if (storage == StorageType.FP8_BLOCK) {
            return blockSize;
        }
        return storage.rowGroup();
    }

    private static String unitName(StorageType storage) {
        return storage == StorageType.FP8_BLOCK ? "one scale block" : "one group of interleaved rows";
    }

    /**
     * Most of the {@code remaining} rows of t that fit in {@code room} bytes: all of them, or a
     * multiple of unit (so that every piece but a tensor's last starts and ends on a block edge).
     */
    private static int rowsThatFit(TensorSpec t, int remaining, int unit, long room, int blockSize) {
        if (footprint(t, remaining, blockSize) <= room) {
            return remaining;
        }
        int fit = 0;
        int lo = 0;
        int hi = remaining / unit;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (mid > 0 && footprint(t, mid * unit, blockSize) > room) {
                hi = mid - 1;
            } else {
                fit = mid * unit;
                lo = mid + 1;
            }
        }
        return fit;
    }

    private static long footprint(TensorSpec t, int rowCount, int blockSize) {
        return align(RowLayout.bytes(rowCount, t.cols(), t.storage().elementBytes()))
                + align(t.storage().scaleCount(rowCount, t.cols(), blockSize) * Float.BYTES);
    }

    private static TensorPlacement place(TensorSpec t, int rowFrom, int rowTo, int shard, long offset, int blockSize) {
        long data = RowLayout.bytes(rowTo - rowFrom, t.cols(), t.storage().elementBytes());
        long scales = t.storage().scaleCount(rowTo - rowFrom, t.cols(), blockSize) * Float.BYTES;
        return new TensorPlacement(t.name(), t.storage(), t.rows(), t.cols(), rowFrom, rowTo, t.layer(), shard,
                offset, data, offset + align(data), scales);
    }

    static long align(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

    static List<StepPlan> steps(ModelConfig c, PlanSettings s) {
        int n = s.threads();
        List<StepPlan> steps = new ArrayList<>();
        steps.add(new StepPlan(StepKind.EMBED, -1, List.of(EMBEDDING), SplitUnit.TOKENS, new int[0]));
        for (int l = 0; l < c.numLayers(); l++) {
            List<String> qkv = new ArrayList<>(List.of(attentionNorm(l)));
            for (String p : List.of("q_proj", "k_proj", "v_proj")) {
                qkv.add(attention(l, p, "weight"));
                if (c.qkvBias()) {
                    qkv.add(attention(l, p, "bias"));
                }
            }
            steps.add(new StepPlan(StepKind.QKV, l, qkv, SplitUnit.HEADS,
                    balanced(c.numHeads() + 2 * c.numKvHeads(), n, 1)));
            steps.add(new StepPlan(StepKind.ATTENTION, l, List.of(), SplitUnit.HEADS, balanced(c.numHeads(), n, 1)));
            List<String> output = new ArrayList<>(List.of(attention(l, "o_proj", "weight")));
            if (c.outputBias()) {
                output.add(attention(l, "o_proj", "bias"));
            }
            steps.add(new StepPlan(StepKind.OUTPUT, l, output, SplitUnit.ROWS, balanced(c.hiddenSize(), n, ROW_ALIGN)));
            steps.add(new StepPlan(StepKind.GATE_UP, l, List.of(mlpNorm(l), mlp(l, "gate_proj"), mlp(l, "up_proj")),
                    SplitUnit.ROWS, balanced(c.intermediateSize(), n, ROW_ALIGN)));
            steps.add(new StepPlan(StepKind.DOWN, l, List.of(mlp(l, "down_proj")), SplitUnit.ROWS,
                    balanced(c.hiddenSize(), n, ROW_ALIGN)));
        }
        steps.add(new StepPlan(StepKind.LM_HEAD, -1, List.of(FINAL_NORM, c.tiedEmbeddings() ? EMBEDDING : LM_HEAD),
                SplitUnit.ROWS, balanced(c.vocabSize(), n, ROW_ALIGN)));
        return steps;
    }

    /**
     * Worker w gets [b[w], b[w+1]): whole units of {@code align} dealt out so that counts differ by at
     * most one, the later workers taking the extra ones. The last unit may be short, and it goes to
     * the last worker, who has the most units: so no two shares differ by more than one unit.
     */
    static int[] balanced(int total, int workers, int align) {
        long units = Math.ceilDiv(total, align);
        int[] bounds = new int[workers + 1];
        for (int w = 1; w < workers; w++) {
            bounds[w] = (int) (units * w / workers * align);
        }
        bounds[workers] = total;
        return bounds;
    }

    /** The shared activation buffers: each row padded as the kernels' loads need. */
    static Map<String, BufferPlan> buffers(ModelConfig c, PlanSettings s) {
        ActivationType act = s.format().activations();
        List<BufferSpec> specs = List.of(
                // The residual stream stays F32. Measured on stories260K (FP8-channel weights, FP16
                // activations, stories_eval.txt): an FP16 residual gives KL 0.00742 vs F32's 0.00743
                // nats/token from the F32 model: no difference there. It stays F32 anyway because it
                // costs nothing (hidden × 4 bytes per token against ~1 GB of weights) and it sums
                // every layer's output, where deep models' outlier features would compound FP16 rounding.
                new BufferSpec("residual", ActivationType.F32, c.hiddenSize(), s.maxBatch()),
                new BufferSpec("q", act, c.queryDim(), s.maxBatch()),
                new BufferSpec("attention", act, c.queryDim(), s.maxBatch()),
                new BufferSpec("mlp", act, c.intermediateSize(), s.maxBatch()),
                // Only the last token's logits are kept; they are F32, as the sampler reads them.
                new BufferSpec("logits", ActivationType.F32, c.vocabSize(), 1));
        Map<String, BufferPlan> buffers = new LinkedHashMap<>();
        long offset = 0;
        for (BufferSpec spec : specs) {
            long bytes = RowLayout.bytes(spec.rows(), spec.width(), spec.type().bytes());
            buffers.put(spec.name(), new BufferPlan(spec.name(), spec.type(), spec.width(), offset, bytes));
            offset = align(offset + bytes);
        }
        return buffers;
    }

    private record BufferSpec(String name, ActivationType type, int width, int rows) {
    }
}
