package io.tessera.engine.segment;

import java.util.concurrent.atomic.LongAdder;

/** How many data fsyncs ran and how long they took in total. Thread-safe. */
public final class SyncStats {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void record(long tookNanos) {
        count.increment();
        nanos.add(tookNanos);
    }

    public long count() {
        return count.sum();
    }

    public long nanos() {
        return nanos.sum();
    }
}
