package io.lpu4j.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code lpu} command. */
@Command(name = "lpu",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "lpu4j: run transformer models the way an LPU does, on a CPU.",
        subcommands = {
                GenerateCommand.class,
                TokenizeCommand.class,
                QuantizeCommand.class,
                SynthCommand.class,
                BenchCommand.class,
                PlanCommand.class,
                EvalCommand.class,
                EmbedCommand.class,
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 2 bad input, 1 internal failure). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(UserErrors::onBadFlags);
        cli.setExecutionExceptionHandler(UserErrors::onFailure);
        try {
            return cli.execute(args);
        } catch (ExceptionInInitializerError e) {
            // A class that checks the machine when first used (the kernels' vector shapes) refused it.
            String message = UserErrors.userMessage(e.getCause());
            if (message == null) {
                throw e;
            }
            cli.getErr().println("lpu: " + message);
            return UserErrors.BAD_INPUT;
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lpu4j " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
