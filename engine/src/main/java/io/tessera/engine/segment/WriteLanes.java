package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The pool of write lanes. Each concurrent body writer takes a lane of its own, so a slow client
 * never holds up another; lanes are created on demand up to {@code maxLanes} and reused LIFO so that
 * few segments stay open. A lane whose segment passed the size limit seals it and starts a new one
 * on next use.
 *
 * <p>Thread-safe.
 */
public final class WriteLanes implements AutoCloseable {
    private final Path dir;
    private final SegmentIo io;
    private final SegmentAllocator allocator;
    private final long segmentLimit;
    private final int maxLanes;
    private final LongSupplier clockMillis;
    private final ArrayDeque<WriteLane> idle = new ArrayDeque<>();
    private final ConcurrentHashMap<Long, ActiveSegment> active = new ConcurrentHashMap<>();
    /** Records written to a segment whose commit is still pending; GC must leave such segments alone. */
    private final ConcurrentHashMap<Long, java.util.concurrent.atomic.AtomicInteger> uncommitted =
            new ConcurrentHashMap<>();
    private int created;
    private boolean closed;

    public WriteLanes(Path dir, SegmentIo io, SegmentAllocator allocator, long segmentLimit, int maxLanes,
                      LongSupplier clockMillis) {
        this.dir = dir;
        this.io = io;
        this.allocator = allocator;
        this.segmentLimit = segmentLimit;
        this.maxLanes = maxLanes;
        this.clockMillis = clockMillis;
    }

    /** Takes a lane with an open segment, waiting if {@code maxLanes} writers are busy. */
    public WriteLane acquire() throws IOException {
        WriteLane lane;
        synchronized (this) {
            while (idle.isEmpty() && created >= maxLanes && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for a write lane", e);
                }
            }
            if (closed) {
                throw new IOException("segment store is closed");
            }
            if (idle.isEmpty()) {
                created++;
                lane = new WriteLane();
            } else {
                lane = idle.pop();
            }
        }
        if (lane.segment() != null && lane.segment().failed()) {
            seal(lane); // an fsync failed in it: start over in a fresh segment
        }
        if (lane.segment() == null) {
            try {
                lane.segment(openSegment());
            } catch (IOException | RuntimeException e) {
                discard(lane);
                throw e;
            }
        }
        return lane;
    }

    /** Returns a lane after a finished or abandoned record; seals its segment when it is full. */
    public void release(WriteLane lane) {
        boolean closing;
        synchronized (this) {
            closing = closed;
        }
        ActiveSegment seg = lane.segment();
        if (seg != null && (closing || seg.failed() || seg.end() >= segmentLimit)) {
            seal(lane);
        }
        synchronized (this) {
            if (closed) {
                created--;
            } else {
                idle.push(lane);
            }
            notifyAll();
        }
    }

    /** Drops a lane whose segment can no longer be trusted for appends (an I/O error mid-record). */
    public void discard(WriteLane lane) {
        if (lane.segment() != null) {
            seal(lane);
        }
        synchronized (this) {
            created--;
            notifyAll();
        }
    }

    /**
     * Retires a lane's segment. It is marked SEALED only if everything in it is durable; a segment
     * whose fsync failed stays ACTIVE, so that the next open scans it and cuts what did not survive.
     */
    private void seal(WriteLane lane) {
        ActiveSegment seg = lane.segment();
        lane.segment(null);
        active.remove(seg.id());
        boolean durable;
        try {
            seg.syncUpTo(seg.end());
            durable = true;
        } catch (IOException e) {
            durable = false; // writers still waiting on a sync see the error themselves
        }
        if (durable) {
            allocator.sealed(seg.id(), seg.end());
        }
        closeQuietly(seg);
    }

    private ActiveSegment openSegment() throws IOException {
        long id = allocator.allocate();
        ActiveSegment seg = ActiveSegment.create(io, dir, id, clockMillis.getAsLong());
        active.put(id, seg);
        return seg;
    }

    /**
     * Seals the segments of all idle lanes, so that everything written so far can be collected;
     * the next writer on each lane starts a new segment. Busy lanes are left alone.
     */
    public void sealIdle() {
        List<WriteLane> lanes;
        synchronized (this) {
            lanes = new ArrayList<>(idle);
            idle.clear();
        }
        for (WriteLane lane : lanes) {
            if (lane.segment() != null) {
                seal(lane);
            }
        }
        synchronized (this) {
            for (WriteLane lane : lanes) {
                if (closed) {
                    created--;
                } else {
                    idle.push(lane);
                }
            }
            notifyAll();
        }
    }

    /** Counts a finished record of {@code segmentId} whose metadata commit has not happened yet. */
    void pin(long segmentId) {
        uncommitted.computeIfAbsent(segmentId, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    }

    /** The record's commit happened or was given up. */
    void unpin(long segmentId) {
        uncommitted.computeIfPresent(segmentId, (k, n) -> n.decrementAndGet() == 0 ? null : n);
    }

    /**
     * True while a record of the segment may still gain a row. A sealed segment without such records
     * and without live bytes can never gain one again.
     */
    public boolean hasUncommitted(long segmentId) {
        return uncommitted.containsKey(segmentId);
    }

    /** The segments currently taking appends (for space accounting). */
    public Collection<ActiveSegment> activeSegments() {
        return List.copyOf(active.values());
    }

    /** Waits for busy lanes, then syncs and seals every active segment. */
    @Override
    public void close() {
        List<WriteLane> lanes;
        synchronized (this) {
            closed = true;
            lanes = new ArrayList<>(idle);
            idle.clear();
            notifyAll();
        }
        for (WriteLane lane : lanes) {
            if (lane.segment() != null) {
                seal(lane);
            }
        }
    }

    private static void closeQuietly(ActiveSegment seg) {
        try {
            seg.close();
        } catch (IOException e) {
            // closing a read/write channel we are done with; nothing to recover
        }
    }
}
