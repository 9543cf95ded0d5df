package io.lpu4j.tokenizer;

import java.util.List;

/** Turns token strings back into text pieces; the pieces of the last decoder are joined (HF's decode_chain). */
@FunctionalInterface
interface Decoder {
    List<String> decodeChain(List<String> tokens);

    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }
}
