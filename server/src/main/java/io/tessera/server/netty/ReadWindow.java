package io.tessera.server.netty;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the body bytes of one connection that were handed on but not yet released, and asks the
 * connection to resume reading when that falls below the low-water mark. Thread-safe: debits happen
 * on the event loop, credits on whatever thread finished with the bytes.
 */
final class ReadWindow {
    private final long high;
    private final long low;
    private final Runnable resume;
    private final AtomicLong inFlight = new AtomicLong();
    private volatile boolean paused;

    ReadWindow(long high, long low, Runnable resume) {
        this.high = high;
        this.low = low;
        this.resume = resume;
    }

    void debit(long n) {
        inFlight.addAndGet(n);
    }

    void credit(long n) {
        long now = inFlight.addAndGet(-n);
        if (paused && now < low) {
            resume.run();
        }
    }

    /** Whether reading should stop until credits arrive; remembers the answer. */
    boolean full() {
        paused = true; // set before reading the count, so a concurrent credit sees it and resumes us
        if (inFlight.get() >= high) {
            return true;
        }
        paused = false;
        return false;
    }

    long inFlight() {
        return inFlight.get();
    }
}
