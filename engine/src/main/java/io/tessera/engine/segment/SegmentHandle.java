package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read-only channel on a segment file, shared by all readers and counted: the file may be deleted
 * (by GC) only after the last reader released it. Positional reads only, so sharing is safe.
 */
public final class SegmentHandle {
    private final long segmentId;
    private final FileChannel channel;
    /** One reference is held by the registry itself until the segment is retired. */
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile Runnable onLastRelease;
    /** When a reader last took this handle ({@link System#nanoTime()}): the least recent close first. */
    private volatile long lastUsedNanos = System.nanoTime();

    SegmentHandle(long segmentId, FileChannel channel) {
        this.segmentId = segmentId;
        this.channel = channel;
    }

    public long segmentId() {
        return segmentId;
    }

    public FileChannel channel() {
        return channel;
    }

    /** Takes a reference; false if the handle is already fully released. */
    boolean tryRetain() {
        while (true) {
            int n = refs.get();
            if (n == 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                lastUsedNanos = System.nanoTime();
                return true;
            }
        }
    }

    public void release() {
        if (refs.decrementAndGet() == 0) {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only channel; nothing to lose
            }
            Runnable r = onLastRelease;
            if (r != null) {
                r.run();
            }
        }
    }

    void onLastRelease(Runnable r) {
        this.onLastRelease = r;
    }

    int refCount() {
        return refs.get();
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }
}
