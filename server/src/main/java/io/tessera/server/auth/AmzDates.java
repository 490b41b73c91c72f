package io.tessera.server.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** Parsing and formatting of the two request-date forms SigV4 accepts. */
final class AmzDates {
    /** ISO 8601 basic format used by {@code x-amz-date} and {@code X-Amz-Date}. */
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);

    private AmzDates() {
    }

    /** Parses {@code yyyyMMdd'T'HHmmss'Z'}, or returns null. */
    static Instant parseAmzDate(String s) {
        if (s == null || s.length() != 16) {
            return null;
        }
        try {
            return Instant.from(AMZ_DATE.parse(s));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Parses an RFC 1123 HTTP {@code Date} header, or returns null. */
    static Instant parseHttpDate(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(s.trim()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Formats as {@code yyyyMMdd'T'HHmmss'Z'}. */
    static String format(Instant t) {
        return AMZ_DATE.format(t);
    }
}
