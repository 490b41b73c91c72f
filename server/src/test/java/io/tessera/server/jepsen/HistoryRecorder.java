package io.tessera.server.jepsen;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Records the operations of many client threads on one monotonic clock: a client calls
 * {@code invokeWrite}, {@code invokeRead} or {@code invokeDelete} right before it sends a request and
 * completes the returned {@link Pending} right after the answer: {@code ok}, {@code fail} (a 4xx: it
 * did not happen) or {@code unknown} (a timeout, a 5xx, a reset). An operation never completed (its
 * client died) is in the {@link #history()} as unknown.
 *
 * <p>Thread-safe and cheap: an invocation is a clock read, an id and a lock-free append; a completion is
 * a clock read and a compare-and-set.
 */
public final class HistoryRecorder {
    private final LongSupplier clock;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentLinkedQueue<Pending> invoked = new ConcurrentLinkedQueue<>();

    /** A recorder on {@link System#nanoTime()}. */
    public HistoryRecorder() {
        this(System::nanoTime);
    }

    /** A recorder on {@code clock}, which must be monotonic and shared by every client. */
    public HistoryRecorder(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A write of {@code value} to {@code key} is being sent. */
    public Pending invokeWrite(int client, String key, String value) {
        return invoke(client, key, Operation.Kind.WRITE, Objects.requireNonNull(value, "value"));
    }

    /** A read of {@code key} is being sent. */
    public Pending invokeRead(int client, String key) {
        return invoke(client, key, Operation.Kind.READ, null);
    }

    /** A delete of {@code key} is being sent. */
    public Pending invokeDelete(int client, String key) {
        return invoke(client, key, Operation.Kind.DELETE, null);
    }

    private Pending invoke(int client, String key, Operation.Kind kind, String value) {
        Pending p = new Pending(ids.getAndIncrement(), client, Objects.requireNonNull(key, "key"), kind, value,
                clock.getAsLong());
        invoked.add(p);
        return p;
    }

    /** What was recorded so far; operations still pending are unknown. */
    public History history() {
        List<Operation> ops = new ArrayList<>();
        for (Pending p : invoked) {
            ops.add(p.operation());
        }
        return new History(ops);
    }

    /**
     * An invoked operation waiting for its answer; complete it exactly once. Thread-safe (a client may
     * hand it to another thread).
     */
    public final class Pending {
        private final long id;
        private final int client;
        private final String key;
        private final Operation.Kind kind;
        private final String written;
        private final long invokedNanos;
        /** Null until completed; set once. */
        private final AtomicReference<Operation> done = new AtomicReference<>();

        private Pending(long id, int client, String key, Operation.Kind kind, String written, long invokedNanos) {
            this.id = id;
            this.client = client;
            this.key = key;
            this.kind = kind;
            this.written = written;
            this.invokedNanos = invokedNanos;
        }

        /** The write or delete was acknowledged. */
        public void ok() {
            if (kind == Operation.Kind.READ) {
                throw new IllegalStateException("a read completes with ok(observed)");
            }
            complete(written, Operation.Outcome.OK);
        }

        /** The read answered {@code observed}, or null when the key was absent (NoSuchKey). */
        public void ok(String observed) {
            if (kind != Operation.Kind.READ) {
                throw new IllegalStateException("only a read observes a value");
            }
            complete(observed, Operation.Outcome.OK);
        }

        /** The operation was refused and did not take effect (an S3 4xx). */
        public void fail() {
            complete(written, Operation.Outcome.FAIL);
        }

        /** No answer: it may or may not take effect (a timeout, a 5xx, a reset connection). */
        public void unknown() {
            complete(written, Operation.Outcome.UNKNOWN);
        }

        private void complete(String value, Operation.Outcome outcome) {
            Operation op = new Operation(id, client, key, kind, value, invokedNanos, clock.getAsLong(), outcome);
            if (!done.compareAndSet(null, op)) {
                throw new IllegalStateException("operation " + id + " completed twice");
            }
        }

        Operation operation() {
            Operation op = done.get();
            return op != null ? op
                    : new Operation(id, client, key, kind, written, invokedNanos, invokedNanos, Operation.Outcome.UNKNOWN);
        }
    }
}
