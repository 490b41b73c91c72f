package io.tessera.server.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * New access key ids and secrets, and the canonical owner id a key gets when none is given. Stateless
 * and thread-safe.
 */
public final class KeyMaterial {
    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterial() {
    }

    /** A random access key id: {@code TSR} and 17 base32 characters (85 random bits). */
    public static String newAccessKeyId() {
        return random(KEY_CHARS, 20, "TSR");
    }

    /** A random secret of 40 base64 characters (240 random bits), as AWS secrets look. */
    public static String newSecret() {
        return random(SECRET_CHARS, 40, "");
    }

    /** The default canonical owner id of a key: the SHA-256 hex of {@code "tessera:" + accessKeyId}. */
    public static String ownerIdFor(String accessKeyId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("tessera:" + accessKeyId)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code id} is a canonical owner id: 64 lower-case hex digits. */
    public static boolean isOwnerId(String id) {
        return id != null && id.matches("[0-9a-f]{64}");
    }

    private static String random(String alphabet, int length, String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        while (b.length() < length) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
