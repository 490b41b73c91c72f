package io.tessera.server.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** HTTP header dates (RFC 1123, e.g. {@code Fri, 24 May 2013 00:00:00 GMT}). Thread-safe. */
public final class HttpDates {
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    public static String format(Instant t) {
        return RFC_1123.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses an RFC 1123 date (also RFC 850 and asctime forms are tolerated by the JDK parser); null if invalid. */
    public static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
