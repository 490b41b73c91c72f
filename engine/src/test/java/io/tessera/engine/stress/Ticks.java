package io.tessera.engine.stress;

import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one clock of a stress run: every write takes a tick before it starts and after it was
 * acknowledged, every read when it starts and ends. Reads in progress are registered, so that version
 * histories forget only what no running or future read may still return.
 *
 * <p>Thread-safe.
 */
final class Ticks {
    private final AtomicLong clock = new AtomicLong();
    private final TreeSet<Long> reads = new TreeSet<>();

    long next() {
        return clock.incrementAndGet();
    }

    /** The tick a read begins at; the read stays registered until {@link #endRead}. */
    synchronized long beginRead() {
        long t = clock.incrementAndGet();
        reads.add(t);
        return t;
    }

    synchronized void endRead(long begun) {
        reads.remove(begun);
    }

    /** No read in progress or still to come began before this tick. */
    synchronized long oldestRead() {
        return reads.isEmpty() ? clock.get() + 1 : reads.first();
    }
}
