package io.lpu4j.bench.endtoend;

import io.lpu4j.bench.Machine;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** What a benchmark ran on, printed beside every result. */
public record MachineInfo(String cpu, int cores, long memoryBytes, String jdk, String os, String date) {

    public static MachineInfo here() {
        return new MachineInfo(Machine.cpuModel(), Runtime.getRuntime().availableProcessors(), Machine.memoryBytes(),
                Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** One line: "AMD EPYC, 2 cores, 23.4 GiB, JDK 25.0.3+9-LTS (Eclipse Adoptium), Linux ..." */
    public String line() {
        return String.format("%s, %d cores, %.1f GiB RAM; JDK %s; %s; %s", cpu, cores, memoryBytes / (double) (1L << 30),
                jdk, os, date);
    }
}
