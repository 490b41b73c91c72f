package io.tessera.server.auth;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * The rolling signature of a signed aws-chunked body: each chunk's signature covers the previous one,
 * starting from the request's seed signature. Allocation-free per chunk. Not thread-safe.
 */
final class ChunkSignatureChain {
    private static final byte[] PAYLOAD_PREFIX = "AWS4-HMAC-SHA256-PAYLOAD\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRAILER_PREFIX = "AWS4-HMAC-SHA256-TRAILER\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_HASH_LINE = ("\n" + Crypto.EMPTY_SHA256 + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEWLINE = {'\n'};

    private final Mac mac;
    private final byte[] dateAndScope;
    private final byte[] previous = new byte[64];
    private final byte[] hashHex = new byte[64];
    private final byte[] computed = new byte[32];

    /**
     * @param signingKey the SigV4 signing key
     * @param amzDate the request timestamp as signed
     * @param scope the credential scope
     * @param seedSignature the request signature, 64 lower-case hex digits
     */
    ChunkSignatureChain(byte[] signingKey, String amzDate, String scope, String seedSignature) {
        if (!Hex.isHex(seedSignature, 64)) {
            throw new IllegalArgumentException("seed signature must be 64 hex digits");
        }
        this.mac = Crypto.newHmac(signingKey);
        this.dateAndScope = (amzDate + "\n" + scope + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] seed = seedSignature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(seed, 0, previous, 0, 64);
    }

    /** Checks the signature of a chunk whose data hashes to {@code dataSha256}; advances the chain. */
    void verifyChunk(byte[] dataSha256, byte[] provided) {
        mac.update(PAYLOAD_PREFIX);
        mac.update(dateAndScope);
        mac.update(previous);
        mac.update(EMPTY_HASH_LINE);
        Hex.encodeInto(dataSha256, hashHex);
        mac.update(hashHex);
        finish(provided, "chunk");
    }

    /** Checks the trailer signature over the canonical trailer block hashing to {@code trailerSha256}. */
    void verifyTrailer(byte[] trailerSha256, byte[] provided) {
        mac.update(TRAILER_PREFIX);
        mac.update(dateAndScope);
        mac.update(previous);
        mac.update(NEWLINE);
        Hex.encodeInto(trailerSha256, hashHex);
        mac.update(hashHex);
        finish(provided, "trailer");
    }

    private void finish(byte[] provided, String what) {
        try {
            mac.doFinal(computed, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        if (!MessageDigest.isEqual(computed, provided)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                    "The " + what + " signature we calculated does not match the signature you provided.");
        }
        Hex.encodeInto(computed, previous);
    }
}
