package io.lpu4j.bench.synth;

import io.lpu4j.engine.model.TensorNames;

import java.util.ArrayList;
import java.util.List;

/** The tensors of a preset, in the order Hugging Face's state_dict lists them. */
public final class ModelWeights {
    private ModelWeights() {
    }

    public static List<WeightSpec> of(SynthPreset preset) {
        SynthPreset.Dims d = preset.dims();
        int queryDim = d.heads() * preset.headDim();
        int kvDim = d.kvHeads() * preset.headDim();
        boolean bias = preset.architecture().qkvBias;

        List<WeightSpec> specs = new ArrayList<>();
        specs.add(new WeightSpec(TensorNames.EMBEDDING, new long[] {d.vocab(), d.hidden()}, Distribution.embedding()));
        for (int l = 0; l < d.layers(); l++) {
            projection(specs, TensorNames.attention(l, "q_proj", "weight"), queryDim, d.hidden());
            if (bias) {
                specs.add(vector(TensorNames.attention(l, "q_proj", "bias"), queryDim, Distribution.bias()));
            }
            projection(specs, TensorNames.attention(l, "k_proj", "weight"), kvDim, d.hidden());
            if (bias) {
                specs.add(vector(TensorNames.attention(l, "k_proj", "bias"), kvDim, Distribution.bias()));
            }
            projection(specs, TensorNames.attention(l, "v_proj", "weight"), kvDim, d.hidden());
            if (bias) {
                specs.add(vector(TensorNames.attention(l, "v_proj", "bias"), kvDim, Distribution.bias()));
            }
            projection(specs, TensorNames.attention(l, "o_proj", "weight"), d.hidden(), queryDim);
            projection(specs, TensorNames.mlp(l, "gate_proj"), d.intermediate(), d.hidden());
            projection(specs, TensorNames.mlp(l, "up_proj"), d.intermediate(), d.hidden());
            projection(specs, TensorNames.mlp(l, "down_proj"), d.hidden(), d.intermediate());
            specs.add(vector(TensorNames.attentionNorm(l), d.hidden(), Distribution.norm()));
            specs.add(vector(TensorNames.mlpNorm(l), d.hidden(), Distribution.norm()));
        }
        specs.add(vector(TensorNames.FINAL_NORM, d.hidden(), Distribution.norm()));
        if (!preset.tiedEmbeddings()) {
            projection(specs, TensorNames.LM_HEAD, d.vocab(), d.hidden());
        }
        return List.copyOf(specs);
    }

    /** Parameters in the checkpoint (a tied lm_head counts once, as Hugging Face counts it). */
    public static long parameterCount(SynthPreset preset) {
        return of(preset).stream().mapToLong(WeightSpec::elementCount).sum();
    }

    private static void projection(List<WeightSpec> specs, String name, int out, int in) {
        specs.add(new WeightSpec(name, new long[] {out, in}, Distribution.linear(in)));
    }

    private static WeightSpec vector(String name, int size, Distribution distribution) {
        return new WeightSpec(name, new long[] {size}, distribution);
    }
}
