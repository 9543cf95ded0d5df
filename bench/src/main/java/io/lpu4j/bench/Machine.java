package io.lpu4j.bench;

import io.lpu4j.engine.kernel.Lanes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the numbers were measured on, read from Linux's /proc and /sys and from the running JVM
 * (the forks run the same java). Anything unreadable shows as "?" rather than failing the run.
 */
public final class Machine {
    private Machine() {
    }

    /** Markdown bullet lines describing the CPU, memory, OS and JDK. */
    static List<String> describe() {
        List<String> cpuinfo = lines("/proc/cpuinfo");
        long processors = cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
        String flags = field(cpuinfo, "flags").orElse("");
        return List.of(
                "CPU: " + field(cpuinfo, "model name").orElse("?") + ", " + processors + " logical cores ("
                        + Runtime.getRuntime().availableProcessors() + " available to the JVM), "
                        + "cache size " + field(cpuinfo, "cache size").orElse("?")
                        + " (as /proc/cpuinfo reports it), AVX-512F " + (flags.contains("avx512f") ? "yes" : "no"),
                "RAM: " + field(lines("/proc/meminfo"), "MemTotal").orElse("?")
                        + "; transparent huge pages: " + first("/sys/kernel/mm/transparent_hugepage/enabled"),
                "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                        + System.getProperty("os.arch") + ")",
                "JDK: " + Runtime.version() + ", " + System.getProperty("java.vm.vendor") + " "
                        + System.getProperty("java.vm.name") + "; preferred vector " + Lanes.N * Float.SIZE
                        + " bits (" + Lanes.N + " float lanes)");
    }

    /** The CPU's model name, or the JVM's architecture where /proc/cpuinfo cannot be read. */
    public static String cpuModel() {
        return field(lines("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    /** Installed memory in bytes, or -1 where /proc/meminfo cannot be read. */
    public static long memoryBytes() {
        return field(lines("/proc/meminfo"), "MemTotal")
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) * 1024).orElse(-1L);
    }

    /** The 1-, 5- and 15-minute load averages: how busy the shared machine was. */
    static String load() {
        String line = first("/proc/loadavg");
        String[] parts = line.split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : line;
    }

    private static Optional<String> field(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name)).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim());
    }

    private static String first(String file) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? "?" : lines.getFirst().trim();
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
