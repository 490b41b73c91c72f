package io.tessera.server.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Times the client while a connection waits for its request body. The clock runs only while the
 * connection reads for the body: never while the node itself paused reading (read window full, the
 * request waiting for admission or for the engine), so the node's own slowness is never held against
 * the client. The client starts with a budget of {@code timeout}; running time spends it, and every
 * byte that arrives earns {@code 1/minRate} s back, never beyond {@code timeout}. A client silent for
 * {@code timeout}, or one averaging below {@code minRate}, runs out and {@code onExpiry} is called.
 * With {@code minRate} 0 any byte refills the budget: a plain idle timeout.
 *
 * <p>One per connection; not thread-safe (its event loop only). A single scheduled check at a time,
 * rescheduled for what is left of the budget, so arriving bytes cost no timer work.
 */
final class BodyTimer {
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final EventExecutor loop;
    private final long timeoutNanos;
    private final long minRate;
    private final Runnable onExpiry;
    private long budgetNanos;
    private long runningSince = -1;
    private ScheduledFuture<?> check;

    BodyTimer(EventExecutor loop, Duration timeout, long minRate, Runnable onExpiry) {
        this.loop = loop;
        this.timeoutNanos = timeout.toNanos();
        this.minRate = minRate;
        this.onExpiry = onExpiry;
        this.budgetNanos = timeoutNanos;
    }

    /** A new body: the full budget again. */
    void reset() {
        budgetNanos = timeoutNanos;
        if (runningSince >= 0) {
            runningSince = System.nanoTime();
        }
    }

    /** Whether the connection now waits on the client for body bytes. */
    void running(boolean on) {
        long now = System.nanoTime();
        settle(now);
        if (on && runningSince < 0) {
            runningSince = now;
            arm();
        } else if (!on) {
            runningSince = -1;
        }
    }

    /** {@code n} body bytes arrived. */
    void received(long n) {
        settle(System.nanoTime());
        if (minRate <= 0) {
            budgetNanos = timeoutNanos;
        } else {
            long earned = n >= Long.MAX_VALUE / NANOS_PER_SECOND ? timeoutNanos : n * NANOS_PER_SECOND / minRate;
            budgetNanos = Math.min(timeoutNanos, budgetNanos + earned);
        }
    }

    /** The connection is gone: no more checks. */
    void stop() {
        runningSince = -1;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void settle(long now) {
        if (runningSince >= 0) {
            budgetNanos -= now - runningSince;
            runningSince = now;
        }
    }

    private void arm() {
        if (check == null) {
            check = loop.schedule(this::check, Math.max(0, budgetNanos), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        check = null;
        if (runningSince < 0) {
            return; // re-armed when the clock runs again
        }
        settle(System.nanoTime());
        if (budgetNanos <= 0) {
            runningSince = -1;
            onExpiry.run();
        } else {
            arm();
        }
    }
}
