package io.tessera.server.netty;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts one kind of event (a refused connection, a cut request) and logs it at most once per
 * {@link #INTERVAL_NANOS}, with how many happened since the last line: a flood of hostile clients
 * must not become a flood of log lines. Thread-safe.
 */
final class PeriodicLog {
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String what;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());

    /**
     * @param what the event as a plural noun phrase with {@code {}} for the count, e.g.
     *             {@code "refused {} connections over the cap"}
     */
    PeriodicLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Counts one event; {@code detail} (why, for whom) is logged if this event gets a line. */
    void record(String detail) {
        total.incrementAndGet();
        unlogged.incrementAndGet();
        long now = System.nanoTime();
        long next = nextLogAt.get();
        if (now - next >= 0 && nextLogAt.compareAndSet(next, now + INTERVAL_NANOS)) {
            long n = unlogged.getAndSet(0);
            log.warn(what + " (last: {}; {} in all)", n, detail, total.get());
        }
    }

    /** Events counted since the node started. */
    long total() {
        return total.get();
    }
}
