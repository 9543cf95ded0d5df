package io.lpu4j.bench.kernel;

/** What every forked benchmark JVM needs. */
public final class Forks {
    /** The kernels use the incubating Vector API; without the module a fork fails to load them. */
    public static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    private Forks() {
    }
}
