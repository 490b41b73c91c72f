package io.tessera.engine.blob;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.ChecksumValue;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Checks a finished body against what the client announced, before anything is made visible: the
 * length, Content-MD5 and the S3 checksum. A failed check abandons the body.
 */
public final class BodyChecks {
    private BodyChecks() {
    }

    public static void verify(PendingBlob w, long expectedLength, BodyExpectations exp) {
        w.finishBody();
        try {
            if (expectedLength >= 0 && w.written() < expectedLength) {
                throw new EngineException(ErrorCode.INCOMPLETE_BODY,
                        "received " + w.written() + " of " + expectedLength + " announced bytes");
            }
            if (expectedLength >= 0 && w.written() > expectedLength) {
                throw new EngineException(ErrorCode.INVALID_REQUEST,
                        "received more than the " + expectedLength + " announced bytes");
            }
            if (exp.contentMd5() != null) {
                if (exp.contentMd5().length != 16) {
                    throw new EngineException(ErrorCode.INVALID_DIGEST, "Content-MD5 must be a 16-byte digest");
                }
                if (!MessageDigest.isEqual(exp.contentMd5(), w.md5())) {
                    throw new EngineException(ErrorCode.BAD_DIGEST, "Content-MD5 does not match the body");
                }
            }
            ChecksumValue c = exp.checksum();
            if (c != null) {
                if (c.algorithm() != w.checksumAlgorithm()) {
                    throw new EngineException(ErrorCode.INVALID_REQUEST,
                            "checksum " + c.algorithm() + " was not the algorithm computed for this body");
                }
                byte[] claimed = decode(c);
                if (!MessageDigest.isEqual(claimed, w.checksum())) {
                    throw new EngineException(ErrorCode.BAD_DIGEST,
                            "the " + c.algorithm() + " checksum does not match the body");
                }
            }
        } catch (EngineException e) {
            w.abandon();
            throw e;
        }
    }

    /** Decodes a base64 checksum value, checking its length for the algorithm. */
    public static byte[] decode(ChecksumValue c) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(c.base64());
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != c.algorithm().digestLength()) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "invalid " + c.algorithm() + " checksum value");
        }
        return raw;
    }

    public static String encode(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }
}
