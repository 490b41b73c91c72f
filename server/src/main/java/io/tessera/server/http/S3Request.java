package io.tessera.server.http;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as the S3 layers see it, free of Netty: the request line (path and query still
 * percent-encoded, as SigV4 needs them), the decoded query parameters, the headers and a few facts
 * about the framing of the body. Header values are wire strings, one char per byte as sent: SigV4
 * hashes them as they are, and {@link HeaderValues#fromWire} gives the text where one is stored.
 * Immutable.
 */
public final class S3Request {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> query;
    private final Headers headers;
    private final String requestId;
    private final long contentLength;
    private final boolean chunkedTransfer;
    private final boolean expectContinue;
    private final Instant received;

    /**
     * @param method the method as sent
     * @param uri the request target in origin form ({@code /bucket/key?query})
     * @param headers the request headers (values as wire strings)
     * @param requestId the id this node gives the request ({@code x-amz-request-id})
     * @param contentLength the Content-Length, or -1 when absent
     * @param chunkedTransfer whether the body uses HTTP chunked transfer coding
     * @param expectContinue whether the client sent {@code Expect: 100-continue}
     * @param received when the request line arrived
     */
    public S3Request(String method, String uri, Headers headers, String requestId, long contentLength,
                     boolean chunkedTransfer, boolean expectContinue, Instant received) {
        this.method = Objects.requireNonNull(method, "method");
        int q = uri.indexOf('?');
        this.rawPath = q < 0 ? uri : uri.substring(0, q);
        this.rawQuery = q < 0 ? "" : uri.substring(q + 1);
        this.headers = Objects.requireNonNull(headers, "headers");
        this.requestId = requestId;
        this.contentLength = contentLength;
        this.chunkedTransfer = chunkedTransfer;
        this.expectContinue = expectContinue;
        this.received = received;
        this.query = parseQuery(rawQuery);
    }

    public String method() {
        return method;
    }

    public boolean isHead() {
        return "HEAD".equals(method);
    }

    /** The path as received, still percent-encoded. */
    public String rawPath() {
        return rawPath;
    }

    /** The query string as received without {@code ?}, empty when none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** Decoded query parameters in order of first appearance; a bare keyword maps to {@code [""]}. */
    public Map<String, List<String>> query() {
        return query;
    }

    /** The first value of a query parameter, or null when absent. */
    public String queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public boolean hasQueryParam(String name) {
        return query.containsKey(name);
    }

    public Headers headers() {
        return headers;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    public boolean hasHeader(String name) {
        return headers.contains(name);
    }

    public String requestId() {
        return requestId;
    }

    /** The Content-Length header, or -1 when absent. */
    public long contentLength() {
        return contentLength;
    }

    public boolean chunkedTransfer() {
        return chunkedTransfer;
    }

    /** Whether a body may follow the headers (a Content-Length above 0 or chunked transfer). */
    public boolean hasBody() {
        return chunkedTransfer || contentLength > 0;
    }

    public boolean expectContinue() {
        return expectContinue;
    }

    public Instant received() {
        return received;
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + " [" + requestId + "]";
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        if (raw.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(out);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Couldn't parse the specified URI.")
                    .with("URI", s);
        }
    }
}
