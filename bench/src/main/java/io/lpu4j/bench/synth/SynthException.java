package io.lpu4j.bench.synth;

/** A synth request that cannot be carried out as asked (target in use, files missing, no room): one line for the user. */
public final class SynthException extends RuntimeException {
    public SynthException(String message) {
        super(message);
    }
}
