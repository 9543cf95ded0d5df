package io.lpu4j.bench.synth;

import java.util.function.Consumer;

/** Reports how far the writing of one file has got, a line every few seconds, then its time and rate. */
final class Progress {
    private static final long REPORT_INTERVAL_NANOS = 5_000_000_000L;

    private final String fileName;
    private final long totalBytes;
    private final Consumer<String> log;
    private final long start = System.nanoTime();
    private long lastReport = start;
    private long bytes;

    Progress(String fileName, long totalBytes, Consumer<String> log) {
        this.fileName = fileName;
        this.totalBytes = totalBytes;
        this.log = log;
    }

    void add(long written) {
        bytes += written;
        long now = System.nanoTime();
        if (now - lastReport >= REPORT_INTERVAL_NANOS) {
            lastReport = now;
            log.accept(String.format("  %s: %d%% (%s of %s)", fileName, 100 * bytes / totalBytes,
                    size(bytes), size(totalBytes)));
        }
    }

    /** Called once the file is complete on disk. */
    void done() {
        double seconds = (System.nanoTime() - start) / 1e9;
        log.accept(String.format("  wrote %s: %s in %.1f s (%.0f MB/s)", fileName, size(totalBytes), seconds,
                totalBytes / 1e6 / Math.max(seconds, 1e-9)));
    }

    /** Bytes in GB, MB or KB (decimal units, as disks are sold). */
    static String size(long bytes) {
        if (bytes >= 1_000_000_000) {
            return String.format("%.2f GB", bytes / 1e9);
        }
        return bytes >= 1_000_000 ? String.format("%.1f MB", bytes / 1e6) : String.format("%.1f KB", bytes / 1e3);
    }
}
