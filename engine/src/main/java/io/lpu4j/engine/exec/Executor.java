package io.lpu4j.engine.exec;

import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.StepPlan;
import io.lpu4j.weights.Checkpoint;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.model.TensorNames.*;

/**
 * Runs a {@link Plan}: its steps compiled once into a flat array, every buffer preallocated
 * off-heap, a fixed team of workers walking the steps (and so the shards) in plan order with a
 * barrier between steps. Each output row is computed by exactly one worker in a fixed order, so the
 * logits are the same bits whatever the number of threads; a forward pass allocates nothing.
 */
public final class Executor implements CausalLM {
    private final Plan plan;
    private final Arena arena;
    private final Workspace ws;
    private final WeightStore weights;
    private final Step[] steps;
    private final WorkerTeam team;
    private final Pass pass;
    private final float[] logits;
    private final WorkerTeam.StepRunner runner;
    private StepTimes stepTimes;

    private Executor(Plan plan, Arena arena, WeightStore weights) {
        this.plan = plan;
        this.arena = arena;
        this.weights = weights;
        this.ws = new Workspace(plan, arena);
        this.steps = compile(plan.steps());
        this.team = new WorkerTeam(plan.settings().threads(), "lpu4j");
        this.pass = new Pass(plan.settings().maxBatch());
        this.logits = new float[plan.config().vocabSize()];
        this.runner = (index, worker) -> steps[index].run(worker, pass);
    }

    /** Fills the plan's shards from the checkpoint (converting or quantizing) and compiles the steps. */
    public static Executor load(Plan plan, Checkpoint checkpoint) {
        return load(plan, checkpoint, null);
    }

    /**
     * As {@link #load(Plan, Checkpoint)}, but maps the shards from {@code cache} when it has them, and
     * stores them there when it does not.
     */
    public static Executor load(Plan plan, Checkpoint checkpoint, ShardCache cache) {
        Arena arena = Arena.ofShared();
        try {
            return new Executor(plan, arena, WeightStore.load(plan, checkpoint, arena, cache));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Plan plan() {
        return plan;
    }

    /** True if the shards were read from the cache (a warm start). */
    public boolean shardsFromCache() {
        return weights.fromCache();
    }

    @Override
    public ModelConfig config() {
        return plan.config();
    }

    @Override
    public int contextLength() {
        return plan.settings().contextLength();
    }

    @Override
    public float[] logits() {
        return logits;
    }

    /**
     * From the next forward pass on, each worker adds its time per step ({@link Plan#steps()} order)
     * to {@code timesOrNull}; null stops timing. For profiles: costs two clock reads per step.
     */
    public void timeSteps(StepTimes timesOrNull) {
        if (timesOrNull != null && (timesOrNull.workers() != team.size() || timesOrNull.steps() != steps.length)) {
            throw new IllegalArgumentException("step times for " + timesOrNull.workers() + " workers and "
                    + timesOrNull.steps() + " steps; this plan has " + team.size() + " and " + steps.length);
        }
        this.stepTimes = timesOrNull;
    }

    /** The worker threads besides the caller (for allocation measurements). */
    public Thread[] workerThreads() {
        return team.helpers();
    }

    @Override
    public void forward(int[] tokens, int count, int start, LogitsListener everyPosition) {
        if (count < 1 || start < 0 || start + count > contextLength()) {
            throw new InvalidModelException("positions " + start + ".." + (start + count - 1)
                    + " do not fit the context of " + contextLength() + " tokens");
        }
        int vocab = config().vocabSize();
        for (int i = 0; i < count; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new InvalidModelException("token id " + tokens[i] + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        // With a listener every position needs its logits: feed one token at a time. The one-token
        // and many-token kernels give the same bits, so this changes only speed, never results.
        int chunk = everyPosition != null ? 1 : plan.settings().maxBatch();
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            System.arraycopy(tokens, done, pass.tokens, 0, n);
            pass.count = n;
            pass.start = start + done;
            team.run(runner, steps.length, stepTimes);
            MemorySegment.copy(ws.logits.data(), FLOAT, 0, logits, 0, logits.length);
            if (everyPosition != null) {
                everyPosition.onLogits(pass.start, logits);
            }
        }
    }

    private Step[] compile(List<StepPlan> stepPlans) {
        ModelConfig c = plan.config();
        Step[] compiled = new Step[stepPlans.size()];
        for (int i = 0; i < compiled.length; i++) {
            StepPlan s = stepPlans.get(i);
            int l = s.layer();
            int[] bounds = s.bounds();
            compiled[i] = switch (s.kind()) {
                case EMBED -> new EmbedStep(ws, weights.matrix(EMBEDDING));
                case QKV -> new QkvStep(ws, l, weights.vectorOrNull(attentionNorm(l)),
                        new PiecedMatrix[] {
                                weights.matrix(attention(l, "q_proj", "weight")),
                                weights.matrix(attention(l, "k_proj", "weight")),
                                weights.matrix(attention(l, "v_proj", "weight"))},
                        new MemorySegment[] {
                                weights.vectorOrNull(attention(l, "q_proj", "bias")),
                                weights.vectorOrNull(attention(l, "k_proj", "bias")),
                                weights.vectorOrNull(attention(l, "v_proj", "bias"))},
                        bounds);
                case ATTENTION -> new AttentionStep(ws, l, bounds);
                case OUTPUT -> new ResidualStep(ws, ws.attention, weights.matrix(attention(l, "o_proj", "weight")),
                        weights.vectorOrNull(attention(l, "o_proj", "bias")), bounds);
                case GATE_UP -> new GateUpStep(ws, weights.vectorOrNull(mlpNorm(l)), weights.matrix(mlp(l, "gate_proj")),
                        weights.matrix(mlp(l, "up_proj")), bounds);
                case DOWN -> new ResidualStep(ws, ws.mlp, weights.matrix(mlp(l, "down_proj")), null, bounds);
                case LM_HEAD -> new LogitsStep(ws, weights.vectorOrNull(FINAL_NORM),
                        weights.matrix(c.tiedEmbeddings() ? EMBEDDING : LM_HEAD), bounds);
            };
        }
        return compiled;
    }

    @Override
    public void close() {
        team.close();
        arena.close();
    }
}
