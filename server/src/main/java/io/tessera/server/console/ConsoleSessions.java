package io.tessera.server.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The console's sign-in sessions. Signing in (a request signed with the admin key) gives the browser a
 * random session token, sent back in an HttpOnly cookie, and a CSRF token the page sends in a header on
 * every request that changes something. The node keeps only the SHA-256 of each session token, so neither
 * a heap dump nor this map yields a usable cookie. A session ends after {@code idle} without use,
 * {@code max} after sign-in, or on sign-out; past {@code capacity} sessions the least recently used ends.
 *
 * <p>Thread-safe.
 */
public final class ConsoleSessions {
    private static final Base64.Encoder TOKEN_TEXT = Base64.getUrlEncoder().withoutPadding();

    /** A signed-in browser: who signed in, its CSRF token, when it signed in and was last seen. */
    public record Session(String accessKeyId, String csrf, Instant created, Instant lastUsed) {
    }

    /** A new session and the token that names it (given to the browser once, never stored). */
    public record Started(String token, Session session) {
    }

    private final Clock clock;
    private final Duration idle;
    private final Duration max;
    private final int capacity;
    private final SecureRandom random = new SecureRandom();
    /** By the SHA-256 of the token; in access order, so the first entry is the least recently used. */
    private final LinkedHashMap<String, Session> byTokenHash = new LinkedHashMap<>(16, 0.75f, true);

    public ConsoleSessions(Clock clock, Duration idle, Duration max, int capacity) {
        this.clock = clock;
        this.idle = idle;
        this.max = max;
        this.capacity = capacity;
    }

    /** Starts a session for {@code accessKeyId}. */
    public synchronized Started start(String accessKeyId) {
        Instant now = clock.instant();
        expire(now);
        while (byTokenHash.size() >= capacity) {
            Iterator<String> lru = byTokenHash.keySet().iterator();
            lru.next();
            lru.remove();
        }
        String token = randomText(32);
        Session s = new Session(accessKeyId, randomText(18), now, now);
        byTokenHash.put(hash(token), s);
        return new Started(token, s);
    }

    /** The live session {@code token} names, marked as used now, or null (unknown, ended or expired). */
    public synchronized Session find(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        Instant now = clock.instant();
        String h = hash(token);
        Session s = byTokenHash.get(h);
        if (s == null) {
            return null;
        }
        if (expired(s, now)) {
            byTokenHash.remove(h);
            return null;
        }
        Session used = new Session(s.accessKeyId(), s.csrf(), s.created(), now);
        byTokenHash.put(h, used);
        return used;
    }

    /** Ends the session {@code token} names, if any. */
    public synchronized void end(String token) {
        if (token != null) {
            byTokenHash.remove(hash(token));
        }
    }

    /** Live sessions (expired ones are dropped first). */
    public synchronized int size() {
        expire(clock.instant());
        return byTokenHash.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(idle)) || !now.isBefore(s.created().plus(max));
    }

    private void expire(Instant now) {
        byTokenHash.values().removeIf(s -> expired(s, now));
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return TOKEN_TEXT.encodeToString(b);
    }

    private static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return TOKEN_TEXT.encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether two secrets are equal, in time that does not depend on where they differ. */
    static boolean sameSecret(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
