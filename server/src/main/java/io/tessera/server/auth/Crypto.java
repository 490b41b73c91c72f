package io.tessera.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and SHA-256 helpers. Instances returned are new and owned by the caller. */
final class Crypto {
    /** Hex SHA-256 of the empty string. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final String HMAC = "HmacSHA256";
    private static final ThreadLocal<Mac> THREAD_MAC = ThreadLocal.withInitial(Crypto::rawMac);
    private static final ThreadLocal<MessageDigest> THREAD_SHA = ThreadLocal.withInitial(Crypto::newSha256);

    private Crypto() {
    }

    /** A new SHA-256 digest. */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** A new HMAC-SHA256 keyed with {@code key}. */
    static Mac newHmac(byte[] key) {
        Mac mac = rawMac();
        init(mac, key);
        return mac;
    }

    /** HMAC-SHA256 of {@code data} under {@code key}, using a per-thread Mac. */
    static byte[] hmac(byte[] key, byte[] data) {
        Mac mac = THREAD_MAC.get();
        init(mac, key);
        return mac.doFinal(data);
    }

    /** HMAC-SHA256 of the UTF-8 bytes of {@code data}. */
    static byte[] hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 of the UTF-8 bytes of {@code s}, using a per-thread digest. */
    static String sha256Hex(String s) {
        return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] bytes) {
        MessageDigest md = THREAD_SHA.get();
        md.reset();
        return Hex.encode(md.digest(bytes));
    }

    /** Constant-time comparison of two ASCII strings (length is not hidden). */
    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.ISO_8859_1), b.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Mac rawMac() {
        try {
            return Mac.getInstance(HMAC);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static void init(Mac mac, byte[] key) {
        try {
            mac.init(new SecretKeySpec(key, HMAC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot key HmacSHA256", e);
        }
    }
}
