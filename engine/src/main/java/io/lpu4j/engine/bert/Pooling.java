package io.lpu4j.engine.bert;

import com.fasterxml.jackson.databind.JsonNode;
import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.model.JsonConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How sentence-transformers turns the encoder's token vectors into one sentence vector: a pooling
 * mode, then optionally L2 normalization.
 *
 * <p>Read from {@code modules.json}, which lists the pipeline. Its {@code Pooling} module's
 * {@code config.json} picks the mode; a {@code Normalize} module turns normalization on. Without a
 * {@code modules.json}, without a {@code Pooling} module or without that module's
 * {@code config.json}, pooling is by mean and there is no normalization, as sentence-transformers
 * does for a plain Hugging Face model. Any other module (a {@code Dense} projection, say) would change
 * the result, so it is refused by name.
 *
 * @param mode      how token vectors are combined
 * @param normalize whether the pooled vector is scaled to unit length
 */
public record Pooling(Mode mode, boolean normalize) {

    /** The pooling modes this engine computes. */
    public enum Mode {
        /** The average of the vectors at positions whose attention mask is 1. */
        MEAN,
        /** The vector at position 0, the [CLS] token. */
        CLS
    }

    private static final String MODULES_FILE = "modules.json";
    private static final String MODULE_PREFIX = "sentence_transformers.models.";
    private static final String SUPPORTED_MODES = "pooling_mode_mean_tokens or pooling_mode_cls_token";
    /** torch.nn.functional.normalize's floor on the norm, which keeps a zero vector finite. */
    private static final float MIN_NORM = 1e-12f;

    /** The pooling configured in {@code modelDir}, checked against the encoder's {@code hiddenSize}. */
    public static Pooling read(Path modelDir, int hiddenSize) {
        Path modulesFile = modelDir.resolve(MODULES_FILE);
        if (!Files.exists(modulesFile)) {
            return new Pooling(Mode.MEAN, false);
        }
        Mode mode = Mode.MEAN;
        boolean normalize = false;
        for (JsonNode module : JsonConfig.readArray(modulesFile).node()) {
            String type = module.path("type").asText("");
            switch (type.startsWith(MODULE_PREFIX) ? type.substring(MODULE_PREFIX.length()) : type) {
                case "Transformer" -> { }
                case "Pooling" -> mode = readMode(modelDir.resolve(modulePath(modulesFile, module)), hiddenSize);
                case "Normalize" -> normalize = true;
                default -> throw new InvalidModelException(modulesFile + ": module type '" + type
                        + "' is not supported (expected Transformer, Pooling or Normalize)");
            }
        }
        return new Pooling(mode, normalize);
    }

    private static String modulePath(Path modulesFile, JsonNode module) {
        String path = module.path("path").asText("");
        if (path.isEmpty()) {
            throw new InvalidModelException(modulesFile + ": the Pooling module has no 'path'");
        }
        return path;
    }

    /** The one mode a Pooling module's {@code config.json} turns on; mean if it has no config. */
    private static Mode readMode(Path poolingDir, int hiddenSize) {
        Path file = poolingDir.resolve("config.json");
        if (!Files.exists(file)) {
            return Mode.MEAN;
        }
        JsonConfig json = JsonConfig.read(file);
        int dimension = json.positiveInt("word_embedding_dimension", hiddenSize);
        if (dimension != hiddenSize) {
            throw new InvalidModelException(file + ": 'word_embedding_dimension' = " + dimension
                    + " does not match the model's hidden_size " + hiddenSize);
        }
        // Prompts are the caller's business; pooling that must skip them cannot be done here.
        json.requireBooleanOrAbsent("include_prompt", true);
        List<String> chosen = new ArrayList<>();
        for (var fields = json.node().fieldNames(); fields.hasNext(); ) {
            String key = fields.next();
            if (key.startsWith("pooling_mode_") && json.bool(key, false)) {
                chosen.add(key);
            }
        }
        if (chosen.size() != 1) {
            throw new InvalidModelException(file + ": " + (chosen.isEmpty() ? "no pooling mode is set"
                    : "several pooling modes are set " + chosen) + " (expected one: " + SUPPORTED_MODES + ")");
        }
        return switch (chosen.getFirst()) {
            case "pooling_mode_mean_tokens" -> Mode.MEAN;
            case "pooling_mode_cls_token" -> Mode.CLS;
            default -> throw new InvalidModelException(file + ": '" + chosen.getFirst()
                    + "' is not supported (expected " + SUPPORTED_MODES + ")");
        };
    }

    /**
     * The sentence vector for one sequence: {@code tokens} is [seqLen][hidden], {@code mask} has a 1
     * at every real token (at least one).
     */
    public float[] apply(float[][] tokens, int[] mask) {
        float[] pooled = switch (mode) {
            case CLS -> tokens[0].clone();
            case MEAN -> mean(tokens, mask);
        };
        if (normalize) {
            scaleToUnitLength(pooled);
        }
        return pooled;
    }

    private static float[] mean(float[][] tokens, int[] mask) {
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 1) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += tokens[t][i];
                }
                count++;
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= count;
        }
        return sum;
    }

    private static void scaleToUnitLength(float[] v) {
        float squares = 0;
        for (float x : v) {
            squares += x * x;
        }
        float norm = Math.max((float) Math.sqrt(squares), MIN_NORM);
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
    }
}
