package io.tessera.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derives SigV4 signing keys ({@code kSigning} from secret, date, region and {@code s3}) and caches
 * them per (secret, date, region), so the four-HMAC chain runs about once a day per key.
 * Thread-safe. The cache is bounded: when it outgrows {@link #MAX_ENTRIES} it is simply cleared.
 */
final class SigningKeyCache {
    static final int MAX_ENTRIES = 4096;
    static final String SERVICE = "s3";
    static final String TERMINATOR = "aws4_request";

    private record Key(String secret, String date, String region) {
    }

    private final ConcurrentHashMap<Key, byte[]> cache = new ConcurrentHashMap<>();

    /** The signing key for (secret, yyyymmdd date, region); the returned array must not be modified. */
    byte[] signingKey(String secret, String date, String region) {
        Key k = new Key(secret, date, region);
        byte[] key = cache.get(k);
        if (key == null) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            key = cache.computeIfAbsent(k, x -> derive(x.secret, x.date, x.region));
        }
        return key;
    }

    /** Number of cached keys (for tests). */
    int size() {
        return cache.size();
    }

    /** The uncached derivation: HMAC chain "AWS4"+secret → date → region → s3 → aws4_request. */
    static byte[] derive(String secret, String date, String region) {
        byte[] kSecret = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        byte[] kDate = Crypto.hmac(kSecret, date);
        byte[] kRegion = Crypto.hmac(kDate, region);
        byte[] kService = Crypto.hmac(kRegion, SERVICE);
        return Crypto.hmac(kService, TERMINATOR);
    }
}
