package io.tessera.server.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parts of an HTTP request that SigV4 signs, free of any HTTP library: the method, the path
 * exactly as it arrived on the request line (still percent-encoded, no normalisation), the raw query
 * string (without {@code ?}, possibly empty) and the headers as a case-insensitive multimap. The server
 * fills one in per request with {@link #builder()}. Immutable and thread-safe once built.
 *
 * <p>Header values keep their order of arrival; a header sent on several lines has several values.
 * They are wire strings: one char per byte as sent (ISO-8859-1, as HTTP libraries decode header
 * bytes), since the signature covers exactly those bytes. Characters above U+007F in the path or query
 * are taken as UTF-8 (clients percent-encode them anyway).
 */
public final class SigV4Request {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers;

    private SigV4Request(Builder b) {
        this.method = Objects.requireNonNull(b.method, "method");
        this.rawPath = Objects.requireNonNull(b.rawPath, "rawPath");
        this.rawQuery = b.rawQuery == null ? "" : b.rawQuery;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(copy);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Convenience: a request from a request target such as {@code /bucket/key?uploads} (split at the
     * first {@code ?}) and no headers yet.
     */
    public static Builder builder(String method, String requestTarget) {
        int q = requestTarget.indexOf('?');
        Builder b = new Builder().method(method);
        return q < 0 ? b.rawPath(requestTarget)
                : b.rawPath(requestTarget.substring(0, q)).rawQuery(requestTarget.substring(q + 1));
    }

    /** The HTTP method, e.g. {@code PUT}. */
    public String method() {
        return method;
    }

    /** The path as received, still percent-encoded. */
    public String rawPath() {
        return rawPath;
    }

    /** The query string as received, without {@code ?}; empty when there is none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** All values of a header (name matched case-insensitively), in arrival order; empty if absent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** All headers: a read-only, case-insensitive map of name to values in arrival order. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The header names present, in case-insensitive order (each in the case first seen). */
    public Set<String> headerNames() {
        return headers.keySet();
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + " " + headers.keySet();
    }

    /** Builds a {@link SigV4Request}; not thread-safe. */
    public static final class Builder {
        private String method;
        private String rawPath;
        private String rawQuery = "";
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        private Builder() {
        }

        /** Sets the method (upper-cased). */
        public Builder method(String method) {
            this.method = method.toUpperCase(Locale.ROOT);
            return this;
        }

        /** Sets the raw, still-encoded path. */
        public Builder rawPath(String rawPath) {
            this.rawPath = rawPath;
            return this;
        }

        /** Sets the raw query string without {@code ?} (null means none). */
        public Builder rawQuery(String rawQuery) {
            this.rawQuery = rawQuery;
            return this;
        }

        /**
         * Adds one value of a header (repeated calls for the same name add further values), as a wire
         * string: one char per byte sent.
         */
        public Builder addHeader(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Replaces all values of a header with one value. */
        public Builder setHeader(String name, String value) {
            headers.remove(name);
            return addHeader(name, value);
        }

        /** The request. */
        public SigV4Request build() {
            return new SigV4Request(this);
        }
    }
}
