package io.lpu4j.engine.eval;

/**
 * Another runtime's last hidden state for the same inputs, [sentence][position][feature], scored
 * like a format against lpu4j's F32.
 *
 * @param format what the other runtime ran, e.g. "int8 (dynamic)"
 */
public record ExternalOutput(String format, Runner runner, float[][][] hiddenStates) {
}
