package io.tessera.server.jepsen;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The faults currently set on the two directions of a {@link FaultProxy}, which every pump reads per
 * chunk (so a change applies to existing connections at once), and the byte and connection counters
 * they all add to, with a wait for the counters to reach a condition. Thread-safe.
 */
final class LinkState {
    private final AtomicReferenceArray<LinkFault> faults = new AtomicReferenceArray<>(Direction.values().length);
    private final Map<Direction, LongAdder> forwarded = new EnumMap<>(Direction.class);
    private final Map<Direction, LongAdder> dropped = new EnumMap<>(Direction.class);
    private final Map<Direction, LongAdder> delayed = new EnumMap<>(Direction.class);
    private final Object changes = new Object();
    /** Counts waiters so that a change notifies only when someone waits (a change is per chunk). */
    private volatile int waiters;
    final LongAdder accepted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder cut = new LongAdder();

    LinkState() {
        for (Direction d : Direction.values()) {
            faults.set(d.ordinal(), LinkFault.pass());
            forwarded.put(d, new LongAdder());
            dropped.put(d, new LongAdder());
            delayed.put(d, new LongAdder());
        }
    }

    LinkFault fault(Direction d) {
        return faults.get(d.ordinal());
    }

    void set(Direction d, LinkFault f) {
        faults.set(d.ordinal(), Objects.requireNonNull(f, "fault"));
    }

    void forwarded(Direction d, int bytes) {
        forwarded.get(d).add(bytes);
        changed();
    }

    void dropped(Direction d, int bytes) {
        dropped.get(d).add(bytes);
        changed();
    }

    void delayed(Direction d, int bytes) {
        delayed.get(d).add(bytes);
        changed();
    }

    void count(LongAdder counter) {
        counter.increment();
        changed();
    }

    /** Wakes the waiters of {@link #await}; called after every change of what a snapshot shows. */
    void changed() {
        // Both sides touch volatiles (the adders' cells, waiters), so a waiter that checked before this
        // change is already waiting, or registered before it checked and then sees the change.
        if (waiters > 0) {
            synchronized (changes) {
                changes.notifyAll();
            }
        }
    }

    /**
     * Waits until {@code snapshot} satisfies {@code condition} and answers that snapshot.
     *
     * @throws IllegalStateException with the last snapshot when {@code bound} passes first
     */
    ProxyCounters await(Supplier<ProxyCounters> snapshot, Predicate<ProxyCounters> condition, Duration bound)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (changes) {
            waiters++;
            try {
                while (true) {
                    ProxyCounters now = snapshot.get();
                    if (condition.test(now)) {
                        return now;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("proxy counters did not get there within " + bound + ": " + now);
                    }
                    changes.wait(Math.max(1, left / 1_000_000));
                }
            } finally {
                waiters--;
            }
        }
    }

    ProxyCounters snapshot(int open) {
        return new ProxyCounters(forwarded.get(Direction.TO_TARGET).sum(), forwarded.get(Direction.FROM_TARGET).sum(),
                dropped.get(Direction.TO_TARGET).sum(), dropped.get(Direction.FROM_TARGET).sum(),
                delayed.get(Direction.TO_TARGET).sum(), delayed.get(Direction.FROM_TARGET).sum(),
                accepted.sum(), refused.sum(), cut.sum(), open);
    }
}
