package io.lpu4j.app;

import java.util.Locale;

/** Numbers as the plan outputs print them: the same in every locale, sizes in SI units like the shard budget. */
final class Units {
    private Units() {
    }

    /** {@code 229,999,872}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1.23 GB}, {@code 229.9 MB}, {@code 50.0 KB}, {@code 512 B} (powers of 1000). */
    static String size(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        if (bytes >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
        }
        return bytes + " B";
    }

    /** {@code 99.8%}. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
