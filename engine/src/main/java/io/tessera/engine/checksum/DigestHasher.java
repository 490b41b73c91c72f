package io.tessera.engine.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/** A {@link Hasher} over a {@link MessageDigest} (SHA-1, SHA-256). */
final class DigestHasher implements Hasher {

    private final MessageDigest digest;

    DigestHasher(String jdkName) {
        try {
            this.digest = MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 and SHA-256, so this is a broken runtime.
            throw new IllegalStateException(jdkName + " is not available", e);
        }
    }

    @Override
    public void update(ByteBuffer src) {
        digest.update(src);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        // MessageDigest reports a bad range as IllegalArgumentException; keep the Hasher contract.
        Objects.checkFromIndexSize(off, len, b.length);
        digest.update(b, off, len);
    }

    @Override
    public byte[] digest() {
        return digest.digest();
    }
}
