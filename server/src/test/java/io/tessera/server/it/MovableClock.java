package io.tessera.server.it;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tells the real time until a test sets it to an instant, and again after {@link #real()}.
 * Tests move a node's engine and scheduler to a later day with it, then come back to the real time before
 * the next signed request (signatures are checked against the same clock). Thread-safe.
 */
public final class MovableClock extends Clock {
    private volatile Instant fixed;

    /** Stops the clock at {@code t}. */
    public void set(Instant t) {
        fixed = t;
    }

    /** Lets the clock tell the real time again. */
    public void real() {
        fixed = null;
    }

    @Override
    public Instant instant() {
        Instant t = fixed;
        return t != null ? t : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MovableClock is always UTC");
    }
}
