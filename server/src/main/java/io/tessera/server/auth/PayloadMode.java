package io.tessera.server.auth;

/**
 * How the request body is protected, as declared by {@code x-amz-content-sha256} (or, for presigned
 * URLs, the {@code X-Amz-Content-Sha256} query parameter, defaulting to {@code UNSIGNED-PAYLOAD}).
 */
public enum PayloadMode {
    /** {@code UNSIGNED-PAYLOAD}: the body is not covered by the signature. */
    UNSIGNED("UNSIGNED-PAYLOAD", false, false),
    /** A 64-hex SHA-256 of the whole body was declared; check it with {@link PayloadHashVerifier}. */
    SIGNED_SHA256(null, false, false),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: aws-chunked body, every chunk signed, no trailer. */
    STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", true, false),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: signed chunks plus a signed trailer. */
    STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", true, true),
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: aws-chunked body without chunk signatures, unsigned trailer. */
    STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER", true, true);

    private final String token;
    private final boolean chunked;
    private final boolean trailer;

    PayloadMode(String token, boolean chunked, boolean trailer) {
        this.token = token;
        this.chunked = chunked;
        this.trailer = trailer;
    }

    /** The literal {@code x-amz-content-sha256} value, or null for {@link #SIGNED_SHA256} (a digest). */
    public String token() {
        return token;
    }

    /** Whether the body uses aws-chunked framing and must go through {@link AwsChunkedDecoder}. */
    public boolean isChunked() {
        return chunked;
    }

    /** Whether the aws-chunked body ends with trailing headers. */
    public boolean hasTrailer() {
        return trailer;
    }

    /** Whether every chunk carries a signature (the two {@code STREAMING-AWS4-HMAC-SHA256-…} forms). */
    public boolean isChunkSigned() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
    }

    /**
     * The mode for an {@code x-amz-content-sha256} value, or null when the value is neither a known
     * token nor 64 hex digits.
     */
    public static PayloadMode fromContentSha256(String value) {
        if (value == null) {
            return null;
        }
        for (PayloadMode m : values()) {
            if (m.token != null && m.token.equals(value)) {
                return m;
            }
        }
        return Hex.isHex(value, 64) ? SIGNED_SHA256 : null;
    }
}
