package io.lpu4j.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.BufferPlan;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.ShardPlan;
import io.lpu4j.engine.plan.StepPlan;
import io.lpu4j.engine.plan.TensorPlacement;

import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code lpu plan --format json}: the whole plan as one JSON document. The records below are the
 * document's schema, kept apart from the engine's records so that field names stay stable when the
 * engine changes; Jackson writes their components in snake_case, in the order declared here. The
 * fields are listed in docs/plan.md.
 */
final class PlanJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    record Document(String model, Settings settings, Config config, int shardCount, long weightBytes,
                    long tensorBytes, long paddingBytes, long arenaBytes, long kvCacheBytes, int stepCount,
                    List<Shard> shards, List<Step> steps, List<Buffer> buffers) {
    }

    record Settings(String weights, String linearStorage, String embeddingStorage, String activations,
                    long shardBudgetBytes, int threads, int contextLength, int maxBatch,
                    boolean quantizeEmbeddings, int blockSize) {
    }

    /** The config.json values the plan depends on, under their Hugging Face names. */
    record Config(String modelType, int hiddenSize, int intermediateSize, int numHiddenLayers,
                  int numAttentionHeads, int numKeyValueHeads, int headDim, int vocabSize,
                  int maxPositionEmbeddings, boolean tieWordEmbeddings, boolean qkvBias, boolean outputBias) {
    }

    record Shard(int index, long bytes, List<Placement> placements) {
    }

    /** Rows [row_from, row_to) of a rows × cols tensor, at {@code offset} bytes into its shard. */
    record Placement(String tensor, String storage, int rows, int cols, int rowFrom, int rowTo, int layer,
                     long offset, long dataBytes, long scalesOffset, long scalesBytes) {
    }

    /** Worker w does units [bounds[w], bounds[w+1]) of the step's split; bounds are empty for tokens. */
    record Step(int index, String kind, String ops, int layer, List<String> tensors, String split,
                int[] bounds) {
    }

    record Buffer(String name, String type, int width, long offset, long bytes) {
    }

    static String render(String model, Plan plan) {
        try {
            return JSON.writeValueAsString(document(model, plan)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the plan as JSON", e);
        }
    }

    static Document document(String model, Plan plan) {
        PlanTotals t = PlanTotals.of(plan);
        List<StepPlan> steps = plan.steps();
        return new Document(model, settings(plan.settings()), config(plan.config()), t.shards(), t.weightBytes(),
                t.tensorBytes(), t.paddingBytes(), t.arenaBytes(), t.kvCacheBytes(), t.steps(),
                plan.shards().stream().map(PlanJson::shard).toList(),
                IntStream.range(0, steps.size()).mapToObj(i -> step(i, steps.get(i))).toList(),
                plan.buffers().stream().map(PlanJson::buffer).toList());
    }

    private static Settings settings(PlanSettings s) {
        return new Settings(s.format().flag(), s.format().linearStorage().name(),
                s.format().embeddingStorage(s.quantizeEmbeddings()).name(), s.format().activations().name(),
                s.shardBudgetBytes(), s.threads(), s.contextLength(), s.maxBatch(), s.quantizeEmbeddings(),
                s.blockSize());
    }

    private static Config config(ModelConfig c) {
        return new Config(c.modelType(), c.hiddenSize(), c.intermediateSize(), c.numLayers(), c.numHeads(),
                c.numKvHeads(), c.headDim(), c.vocabSize(), c.maxPositions(), c.tiedEmbeddings(), c.qkvBias(),
                c.outputBias());
    }

    private static Shard shard(ShardPlan s) {
        return new Shard(s.index(), s.bytes(), s.placements().stream().map(PlanJson::placement).toList());
    }

    private static Placement placement(TensorPlacement p) {
        return new Placement(p.tensor(), p.storage().name(), p.rows(), p.cols(), p.rowFrom(), p.rowTo(), p.layer(),
                p.offset(), p.dataBytes(), p.scalesOffset(), p.scalesBytes());
    }

    private static Step step(int index, StepPlan s) {
        return new Step(index, s.kind().name(), s.kind().ops(), s.layer(), s.tensors(), s.split().name(), s.bounds());
    }

    private static Buffer buffer(BufferPlan b) {
        return new Buffer(b.name(), b.type().name(), b.width(), b.offset(), b.bytes());
    }
}
