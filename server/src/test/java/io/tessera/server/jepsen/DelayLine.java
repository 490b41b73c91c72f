package io.tessera.server.jepsen;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chunks of one direction of one proxied connection between the thread that reads them and the
 * thread that writes them on: first in, first out, each handed out no earlier than its due time, and
 * holding at most a fixed number of bytes (the reader waits beyond that, which is what slows a sender
 * down, as a full TCP window would). Because the order is kept, a chunk due now waits behind an
 * earlier, delayed one: switching a delay off never reorders bytes.
 *
 * <p>Thread-safe: one reader thread puts, one writer thread takes; {@link #abort()} from any thread
 * wakes both.
 */
final class DelayLine {
    /** A chunk of bytes and the earliest {@link System#nanoTime()} at which it may be written. */
    record Chunk(byte[] bytes, int length, long dueNanos) { }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final long capacityBytes;
    private long queuedBytes;
    private boolean finished;
    private boolean aborted;

    DelayLine(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /**
     * Queues {@code c}, waiting while the line is full. Returns false, queuing nothing, once the line
     * is aborted.
     */
    boolean put(Chunk c) throws InterruptedException {
        lock.lock();
        try {
            // A chunk larger than the whole capacity still goes in when the line is empty.
            while (!aborted && queuedBytes > 0 && queuedBytes + c.length() > capacityBytes) {
                changed.await();
            }
            if (aborted) {
                return false;
            }
            chunks.addLast(c);
            queuedBytes += c.length();
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest chunk once it is due; null once the line is aborted, or finished and drained (tell
     * them apart with {@link #aborted()}).
     */
    Chunk take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (aborted) {
                    return null;
                }
                Chunk head = chunks.peekFirst();
                if (head == null) {
                    if (finished) {
                        return null;
                    }
                    changed.await();
                    continue;
                }
                long wait = head.dueNanos() - System.nanoTime();
                if (wait <= 0) {
                    chunks.removeFirst();
                    queuedBytes -= head.length();
                    changed.signalAll();
                    return head;
                }
                changed.await(wait, TimeUnit.NANOSECONDS); // the delay itself: the chunk is not due yet
            }
        } finally {
            lock.unlock();
        }
    }

    /** No more chunks will come: {@link #take()} answers null once the queued ones are out. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Discards what is queued and wakes both sides for good. */
    void abort() {
        lock.lock();
        try {
            aborted = true;
            chunks.clear();
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the line was aborted (rather than finished). */
    boolean aborted() {
        lock.lock();
        try {
            return aborted;
        } finally {
            lock.unlock();
        }
    }
}
