package io.tessera.server.auth;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Checks a single-shot body against the SHA-256 declared in {@code x-amz-content-sha256}
 * ({@link PayloadMode#SIGNED_SHA256}): feed every body buffer to {@link #update} as it arrives, then
 * call {@link #finish} before committing. One per request; not thread-safe.
 */
public final class PayloadHashVerifier {
    private final String expectedHex;
    private final MessageDigest digest = Crypto.newSha256();
    private long length;
    private boolean finished;

    /** A verifier expecting the body to hash to {@code expectedHex} (64 hex digits, either case). */
    public PayloadHashVerifier(String expectedHex) {
        if (!Hex.isHex(expectedHex, 64)) {
            throw new IllegalArgumentException("expected SHA-256 must be 64 hex digits");
        }
        this.expectedHex = expectedHex.toLowerCase(Locale.ROOT);
    }

    /** A verifier for a request authenticated with {@link PayloadMode#SIGNED_SHA256}. */
    public static PayloadHashVerifier forRequest(AuthResult auth) {
        if (auth.payloadMode() != PayloadMode.SIGNED_SHA256) {
            throw new IllegalArgumentException("payload is not SIGNED_SHA256 but " + auth.payloadMode());
        }
        return new PayloadHashVerifier(auth.contentSha256());
    }

    /** Hashes the bytes between position and limit; the buffer's position is left unchanged. */
    public void update(ByteBuffer data) {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
        int pos = data.position();
        length += data.remaining();
        digest.update(data);
        data.position(pos);
    }

    /** Bytes hashed so far. */
    public long length() {
        return length;
    }

    /**
     * Completes the hash and compares it with the declared value.
     *
     * @throws S3Exception {@code XAmzContentSHA256Mismatch} when they differ
     */
    public void finish() {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
        finished = true;
        String actual = Hex.encode(digest.digest());
        if (!Crypto.constantTimeEquals(actual, expectedHex)) {
            throw new S3Exception(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH)
                    .with("ClientComputedContentSHA256", expectedHex)
                    .with("S3ComputedContentSHA256", actual);
        }
    }
}
