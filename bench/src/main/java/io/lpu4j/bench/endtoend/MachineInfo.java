package io.lpu4j.bench.endtoend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** What a benchmark ran on, printed beside every result. */
public record MachineInfo(String cpu, int cores, long memoryBytes, String jdk, String os, String date) {

    public static MachineInfo here() {
        return new MachineInfo(cpuModel(), Runtime.getRuntime().availableProcessors(), memory(),
                Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** One line: "AMD EPYC, 2 cores, 23.4 GiB, JDK 25.0.3+9-LTS (Eclipse Adoptium), Linux ..." */
    public String line() {
        return String.format("%s, %d cores, %.1f GiB RAM; JDK %s; %s; %s", cpu, cores, memoryBytes / (double) (1L << 30),
                jdk, os, date);
    }

    private static String cpuModel() {
        return field(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static long memory() {
        return field(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) * 1024).orElse(-1L);
    }

    private static java.util.Optional<String> field(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
