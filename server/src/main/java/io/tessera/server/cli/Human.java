package io.tessera.server.cli;

import java.util.Locale;

/** Numbers as the admin commands print them for people: sizes in binary units, ages in days and hours. */
final class Human {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Human() {
    }

    /** {@code 0 B}, {@code 999 B}, {@code 1.5 KiB}, {@code 12.3 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        int unit = 0;
        double v = n;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, UNITS[unit]);
    }

    /** {@code 42s}, {@code 5m 3s}, {@code 3h 12m}, {@code 9d 4h}. */
    static String age(long seconds) {
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (d > 0) {
            return d + "d " + h + "h";
        }
        if (h > 0) {
            return h + "h " + m + "m";
        }
        if (m > 0) {
            return m + "m " + s + "s";
        }
        return s + "s";
    }

    /** Milliseconds as seconds with one decimal: {@code 0.3 s}, {@code 125.0 s}. */
    static String millis(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
