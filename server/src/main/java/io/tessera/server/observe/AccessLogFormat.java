package io.tessera.server.observe;

import java.util.Locale;

/** How the access log writes its lines: not at all, as space-separated fields, or as one JSON object per line. */
public enum AccessLogFormat {
    OFF,
    TEXT,
    JSON;

    /** {@code off}, {@code text} or {@code json}, any case. */
    public static AccessLogFormat parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the access log format is off, text or json, not " + s);
        }
    }
}
