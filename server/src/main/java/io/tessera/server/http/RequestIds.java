package io.tessera.server.http;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids for {@code x-amz-request-id} (16 upper-case hex digits, unique per node run) and the
 * node's {@code x-amz-id-2}. Thread-safe.
 */
public final class RequestIds {
    private final AtomicLong next;
    private final String hostId;

    public RequestIds() {
        SecureRandom random = new SecureRandom();
        this.next = new AtomicLong(random.nextLong() & 0x0000_FFFF_FFFF_FFFFL);
        byte[] host = new byte[24];
        random.nextBytes(host);
        this.hostId = Base64.getEncoder().encodeToString(host);
    }

    /** A fresh request id. */
    public String next() {
        long n = next.getAndIncrement();
        return String.format(Locale.ROOT, "%016X", n);
    }

    /** This node's {@code x-amz-id-2} value. */
    public String hostId() {
        return hostId;
    }
}
