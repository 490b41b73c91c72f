package io.tessera.engine;

/**
 * A conditional write: {@code If-None-Match: *} (only if the key is absent) or {@code If-Match: etag}
 * (only if the current object has that ETag). Evaluated atomically with the write.
 */
public record Precondition(boolean ifNoneMatchAny, String ifMatchEtag) {
    public static final Precondition NONE = new Precondition(false, null);

    public static Precondition ifAbsent() {
        return new Precondition(true, null);
    }

    public static Precondition ifMatch(String etag) {
        return new Precondition(false, etag);
    }
}
