package io.lpu4j.bench.kernel;

/** What every forked benchmark JVM needs. */
public final class Forks {
    /** The kernels use the incubating Vector API; without the module a fork fails to load them. */
    public static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    /**
     * Lets the engine call libc for its huge-page weight memory ({@code HugePages}: mmap, madvise)
     * without the JVM's warning about restricted methods.
     */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Keeps the next option from printing a line on stdout. */
    public static final String QUIET_COMPILE_COMMANDS = "-XX:CompileCommand=quiet";
    /**
     * Compiles the one-token kernels on their own, never inlined into their caller: see the comment on
     * {@code lpu4j.jvmFlags} in the root pom.xml (the same flag as the launcher and the tests use).
     */
    public static final String KERNELS_STANDALONE = "-XX:CompileCommand=dontinline,io.lpu4j.engine.kernel.*::dot*";
    /** Always inlines the helpers that hand vectors to the kernels (a vector crossing a call is boxed): same comment. */
    public static final String VECTOR_HELPERS_INLINED = "-XX:CompileCommand=inline,io.lpu4j.engine.kernel.Decode::*";

    private Forks() {
    }
}
