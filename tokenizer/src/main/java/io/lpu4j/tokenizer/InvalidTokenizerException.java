package io.lpu4j.tokenizer;

/**
 * A tokenizer file that cannot be used: malformed, or asking for a component lpu4j does not
 * implement (named in the message). The message is one line naming the file.
 */
public final class InvalidTokenizerException extends RuntimeException {
    public InvalidTokenizerException(String message) {
        super(message);
    }
}
