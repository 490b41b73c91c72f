package io.tessera.server.admin;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses the ages operators type: {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w}, or ISO-8601 ({@code PT36H}). */
public final class Durations {
    private Durations() {
    }

    /** The duration {@code s} names; IllegalArgumentException when it names none or a negative one. */
    public static Duration parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        Duration d;
        if (t.startsWith("p")) {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(s);
            }
        } else {
            int split = 0;
            while (split < t.length() && Character.isDigit(t.charAt(split))) {
                split++;
            }
            if (split == 0 || split > 12 || split != t.length() - 1) {
                throw invalid(s);
            }
            long n = Long.parseLong(t.substring(0, split));
            d = switch (t.charAt(split)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                case 'w' -> Duration.ofDays(7 * n);
                default -> throw invalid(s);
            };
        }
        if (d.isNegative()) {
            throw invalid(s);
        }
        return d;
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("not a duration: '" + s + "' (write 90s, 30m, 12h, 7d, 2w or PT36H)");
    }
}
