package io.lpu4j.app;

import io.lpu4j.bench.synth.SynthException;
import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.UnsupportedMachineException;
import io.lpu4j.tokenizer.InvalidTokenizerException;
import io.lpu4j.weights.InvalidCheckpointException;
import picocli.CommandLine;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * Turns user mistakes into one clear line on stderr and exit code 2. Anything else is a bug in lpu4j
 * and keeps its stack trace (exit code 1).
 */
final class UserErrors {
    static final int BAD_INPUT = 2;

    private UserErrors() {
    }

    static int onBadFlags(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("lpu: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return BAD_INPUT;
    }

    static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) throws Exception {
        String message = userMessage(e);
        if (message == null) {
            throw e;
        }
        cmd.getErr().println("lpu: " + message);
        return BAD_INPUT;
    }

    /** The one-line message for a user mistake, or null if {@code e} is not one. */
    static String userMessage(Throwable e) {
        return switch (e) {
            case UserError u -> u.getMessage();
            case InvalidCheckpointException c -> c.getMessage();
            case InvalidTokenizerException t -> t.getMessage();
            case InvalidModelException m -> m.getMessage();
            case UnsupportedMachineException u -> u.getMessage();
            case SynthException s -> s.getMessage();
            case UncheckedIOException io when io.getCause() instanceof NoSuchFileException missing ->
                    "no such file: " + missing.getFile();
            case UncheckedIOException io -> io.getMessage() + ": " + io.getCause().getMessage();
            default -> null;
        };
    }
}
