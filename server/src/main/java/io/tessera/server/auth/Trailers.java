package io.tessera.server.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trailing headers of an aws-chunked body (for example {@code x-amz-checksum-crc32} → base64 value),
 * names lower-cased, values trimmed, in order of arrival. The trailer signature line is not included.
 * Immutable.
 */
public final class Trailers {
    private static final Trailers EMPTY = new Trailers(Map.of());

    private final Map<String, String> values;

    private Trailers(Map<String, String> values) {
        this.values = values;
    }

    /** No trailers. */
    public static Trailers empty() {
        return EMPTY;
    }

    static Trailers of(LinkedHashMap<String, String> values) {
        return values.isEmpty() ? EMPTY : new Trailers(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /** The value of a trailer (name matched case-insensitively). */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name.toLowerCase(Locale.ROOT)));
    }

    /** All trailers, lower-case name to value. */
    public Map<String, String> asMap() {
        return values;
    }

    /** Whether no trailer arrived. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return "Trailers" + values;
    }
}
