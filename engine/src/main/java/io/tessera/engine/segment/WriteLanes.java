package io.tessera.engine.segment;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of write lanes. A lane is held by one writer while it appends a record (a piece of a body,
 * {@link LaneAppender}; a compaction copy, {@link RecordWriter}), so records never interleave; lanes are
 * created on demand up to {@code maxLanes} and reused LIFO so that few segments stay open. A lane whose
 * segment passed the size limit seals it and starts a new one on next use.
 *
 * <p>{@link #tryAcquire()} answers at once; {@link #acquire(Duration, Executor)} queues a future (at most
 * {@code maxWaiters} of them) that a released lane completes on the given executor, or that fails with
 * {@link LanesBusyException} once its wait bound passes; {@link #acquire(Duration)} waits for that future,
 * which is safe because lane holders wait for nothing but the disk (see {@link LaneAppender}).
 *
 * <p>Thread-safe.
 */
public final class WriteLanes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteLanes.class);

    private final Path dir;
    private final SegmentIo io;
    private final DiskSpace space;
    private final SegmentAllocator allocator;
    private final long segmentLimit;
    private final int maxLanes;
    private final int maxWaiters;
    private final LongSupplier clockMillis;
    private final ArrayDeque<WriteLane> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final ConcurrentHashMap<Long, ActiveSegment> active = new ConcurrentHashMap<>();
    /** Finished records per segment whose commit is still pending; GC must leave such segments alone. */
    private final ConcurrentHashMap<Long, Integer> uncommitted = new ConcurrentHashMap<>();
    /** Segments whose SEALED row could not be written yet (segment id → size); retried by GC. */
    private final ConcurrentHashMap<Long, Long> unsealedRows = new ConcurrentHashMap<>();
    /** Segments whose file could not be created and whose row could not be removed yet; retried by GC. */
    private final Set<Long> unbornRows = ConcurrentHashMap.newKeySet();
    private final Writeback writeback = new Writeback();
    private int created;
    private int busy;
    private boolean closed;

    private record Waiter(CompletableFuture<WriteLane> future, Executor executor) {
    }

    /** @param space what segment writes may take of the disk; every append claims its bytes first */
    public WriteLanes(Path dir, SegmentIo io, DiskSpace space, SegmentAllocator allocator, long segmentLimit,
                      int maxLanes, int maxWaiters, LongSupplier clockMillis) {
        this.dir = dir;
        this.io = io;
        this.space = space;
        this.allocator = allocator;
        this.segmentLimit = segmentLimit;
        this.maxLanes = maxLanes;
        this.maxWaiters = maxWaiters;
        this.clockMillis = clockMillis;
    }

    /** All lanes are busy and no more writers may wait (or one waited past its bound). */
    public static final class LanesBusyException extends IOException {
        private static final long serialVersionUID = 1L;

        LanesBusyException(String message) {
            super(message);
        }
    }

    /**
     * Takes a free lane with an open segment, or returns null at once when all lanes are busy. Fails
     * with {@link NoSpaceException} when segment writes may take nothing more of the disk.
     */
    public WriteLane tryAcquire() throws IOException {
        return tryAcquire(false);
    }

    /** A lane for compaction copies, which may use half the space kept free for metadata. */
    public WriteLane tryAcquireForCompaction() throws IOException {
        return tryAcquire(true);
    }

    private WriteLane tryAcquire(boolean reclaiming) throws IOException {
        WriteLane lane;
        synchronized (this) {
            ensureOpen();
            lane = takeLocked();
        }
        return lane == null ? null : prepare(lane, reclaiming);
    }

    /** What segment writes may still take of the disk. */
    public DiskSpace space() {
        return space;
    }

    /**
     * A lane now if one is free; otherwise a future completed on {@code executor} when one is
     * released, failed with {@link LanesBusyException} after {@code maxWait} or at once when
     * {@code maxWaiters} writers already wait.
     */
    public CompletableFuture<WriteLane> acquire(Duration maxWait, Executor executor) {
        WriteLane lane;
        Waiter w = new Waiter(new CompletableFuture<>(), executor);
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IOException("segment store is closed"));
            }
            lane = takeLocked();
            if (lane == null) {
                if (waiters.size() >= maxWaiters) {
                    return CompletableFuture.failedFuture(new LanesBusyException("all " + maxLanes
                            + " write lanes are busy and " + maxWaiters + " writers are waiting"));
                }
                waiters.add(w);
            }
        }
        if (lane != null) {
            handOver(lane, w);
        } else {
            CompletableFuture.delayedExecutor(maxWait.toNanos(), TimeUnit.NANOSECONDS).execute(() -> giveUp(w, maxWait));
        }
        return w.future();
    }

    /**
     * A lane now if one is free, else the first one released within {@code maxWait}, waiting on this thread;
     * {@link LanesBusyException} when none is, or at once when {@code maxWaiters} writers wait already. The
     * lane is readied on the thread that released it.
     */
    public WriteLane acquire(Duration maxWait) throws IOException {
        WriteLane lane = tryAcquire();
        if (lane != null) {
            return lane;
        }
        CompletableFuture<WriteLane> f = acquire(maxWait, Runnable::run);
        try {
            // the future fails by itself once maxWait passed; the margin only guards against a lost timer
            return f.get(maxWait.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("taking a write lane", cause);
        } catch (TimeoutException e) {
            LanesBusyException busy = new LanesBusyException("no write lane within " + maxWait.toMillis() + " ms");
            if (f.completeExceptionally(busy)) {
                throw busy;
            }
            return acquired(f); // completed meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!f.completeExceptionally(new InterruptedIOException())) {
                release(acquired(f));
            }
            throw new InterruptedIOException("interrupted while waiting for a write lane");
        }
    }

    private static WriteLane acquired(CompletableFuture<WriteLane> done) throws IOException {
        try {
            return done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("taking a write lane", e.getCause());
        }
    }

    private void giveUp(Waiter w, Duration waited) {
        synchronized (this) {
            waiters.remove(w);
        }
        w.future().completeExceptionally(new LanesBusyException("all " + maxLanes
                + " write lanes stayed busy for " + waited.toMillis() + " ms"));
    }

    private synchronized WriteLane takeLocked() {
        if (!idle.isEmpty()) {
            busy++;
            return idle.pop();
        }
        if (created < maxLanes) {
            created++;
            busy++;
            return new WriteLane();
        }
        return null;
    }

    /**
     * Gets a lane's segment ready for appends: a fresh one if it has none or its fsync failed. A full
     * disk refuses the lane before any of the request's body is read, and leaves its segment alone.
     */
    private WriteLane prepare(WriteLane lane, boolean reclaiming) throws IOException {
        try {
            space.requireRoom(0, reclaiming);
        } catch (NoSpaceException e) {
            release(lane);
            throw e;
        }
        try {
            if (lane.segment() != null && lane.segment().failed()) {
                seal(lane);
            }
            if (lane.segment() == null) {
                lane.segment(openSegment());
            }
            return lane;
        } catch (IOException | RuntimeException e) {
            discard(lane);
            throw e;
        }
    }

    /** Prepares {@code lane} on the waiter's executor and completes it; a lane nobody wants goes back. */
    private void handOver(WriteLane lane, Waiter w) {
        try {
            w.executor().execute(() -> {
                try {
                    WriteLane ready = prepare(lane, false);
                    if (!w.future().complete(ready)) {
                        release(ready); // the waiter gave up meanwhile
                    }
                } catch (IOException | RuntimeException e) {
                    w.future().completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            release(lane); // the executor is shutting down
            w.future().completeExceptionally(e);
        }
    }

    /** Returns a lane after a finished or abandoned record; seals its segment when it is full. Never throws. */
    public void release(WriteLane lane) {
        boolean closing;
        synchronized (this) {
            closing = closed;
        }
        ActiveSegment seg = lane.segment();
        if (seg != null && (closing || seg.failed() || seg.end() >= segmentLimit)) {
            seal(lane);
        }
        giveBack(lane, true);
    }

    /** Drops a lane whose segment can no longer be trusted for appends (an I/O error mid-record). */
    public void discard(WriteLane lane) {
        if (lane.segment() != null) {
            seal(lane);
        }
        giveBack(lane, false);
    }

    private void giveBack(WriteLane lane, boolean reusable) {
        Waiter next = null;
        WriteLane nextLane = null;
        synchronized (this) {
            busy--;
            if (closed || !reusable) {
                created--;
            } else {
                idle.push(lane);
            }
            while (!waiters.isEmpty() && !closed) {
                Waiter w = waiters.poll();
                if (w.future().isDone()) {
                    continue; // timed out
                }
                nextLane = takeLocked();
                if (nextLane == null) {
                    waiters.addFirst(w);
                } else {
                    next = w;
                }
                break;
            }
        }
        if (next != null) {
            handOver(nextLane, next);
        }
    }

    /**
     * Retires a lane's segment. A durable segment is marked SEALED at its end; one whose fsync failed
     * is marked SEALED at its last durable byte (records after it were never acknowledged, so nothing
     * points at them). If the row cannot be written now, GC retries it ({@link #retryUnsealedRows}).
     */
    private void seal(WriteLane lane) {
        ActiveSegment seg = lane.segment();
        lane.segment(null);
        active.remove(seg.id());
        long end;
        try {
            seg.syncUpTo(seg.end());
            end = seg.end();
        } catch (IOException e) {
            end = seg.syncedUpTo(); // writers still waiting on a sync see the error themselves
            LOG.warn("segment {}: fsync failed ({}); sealed at its last durable byte {}", seg.id(), e.getMessage(),
                    end);
            try {
                seg.truncateTo(end); // nothing after it was acknowledged: give its space back
            } catch (IOException te) {
                LOG.debug("segment {}: cannot cut its undurable tail", seg.id(), te);
            }
        }
        writeSealedRow(seg.id(), end);
        closeQuietly(seg);
    }

    private void writeSealedRow(long segmentId, long size) {
        try {
            allocator.sealed(segmentId, size);
            unsealedRows.remove(segmentId);
        } catch (RuntimeException e) {
            unsealedRows.put(segmentId, size);
            LOG.warn("segment {}: cannot record it as sealed yet ({}); will retry", segmentId, e.toString());
        }
    }

    /** Writes the SEALED rows, and removes the rows of unborn segments, that a metadata write error held up. */
    public void retryPendingRows() {
        for (Map.Entry<Long, Long> e : new ArrayList<>(unsealedRows.entrySet())) {
            writeSealedRow(e.getKey(), e.getValue());
        }
        for (Long id : List.copyOf(unbornRows)) {
            removeUnbornRow(id);
        }
    }

    /** True while a segment's row still says ACTIVE although no lane writes to it any more. */
    public boolean sealPending(long segmentId) {
        return unsealedRows.containsKey(segmentId);
    }

    private ActiveSegment openSegment() throws IOException {
        long id = allocator.allocate();
        ActiveSegment seg;
        try {
            seg = ActiveSegment.create(io, dir, id, clockMillis.getAsLong());
        } catch (IOException e) {
            forgetUnborn(id, e);
            throw space.explain(e);
        } catch (RuntimeException e) {
            forgetUnborn(id, e);
            throw e;
        }
        active.put(id, seg);
        return seg;
    }

    /**
     * A segment whose file could not be created (a full disk): its file goes, then its row, so that no
     * ACTIVE row without a lane is left behind. A row that cannot be removed now is retried by GC (and
     * by recovery on the next open).
     */
    private void forgetUnborn(long id, Exception why) {
        try {
            Files.deleteIfExists(SegmentFiles.path(dir, id));
        } catch (IOException e) {
            LOG.warn("segment {}: its creation failed ({}) and its file cannot be deleted ({}); the next start"
                    + " deletes it", id, why.getMessage(), e.toString());
            return;
        }
        removeUnbornRow(id);
    }

    private void removeUnbornRow(long id) {
        try {
            allocator.abandon(id);
            unbornRows.remove(id);
        } catch (RuntimeException e) {
            unbornRows.add(id);
            LOG.warn("segment {}: cannot remove the row of its failed creation yet ({}); will retry", id, e.toString());
        }
    }

    /**
     * Seals the segments of idle lanes, so that everything written so far can be collected; the next
     * writer on each lane starts a new segment. Busy lanes are left alone.
     *
     * @param idleFor only segments that took no append for this long (ZERO: all idle lanes)
     */
    public void sealIdle(Duration idleFor) {
        List<WriteLane> lanes = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (WriteLane lane : idle) {
                ActiveSegment seg = lane.segment();
                if (seg != null && now - seg.lastAppendNanos() >= idleFor.toNanos()) {
                    lanes.add(lane);
                }
            }
            idle.removeAll(lanes);
            busy += lanes.size();
        }
        for (WriteLane lane : lanes) {
            seal(lane);
            giveBack(lane, true);
        }
    }

    /** Starts writing back what a long record has appended to {@code segment} so far, in the background. */
    void writeBack(ActiveSegment segment) {
        writeback.request(segment);
    }

    /**
     * Gives a lane from outside the pool (the {@link SharedSegment}'s) a segment ready for appends: a
     * fresh one when it has none, or when its fsync failed (that one is sealed at its last durable byte).
     */
    void attachSegment(WriteLane lane) throws IOException {
        ensureOpen();
        if (lane.segment() != null && lane.segment().failed()) {
            seal(lane);
        }
        if (lane.segment() == null) {
            lane.segment(openSegment());
        }
    }

    /** Seals the segment of a lane from outside the pool, if it has one (it is synced first). */
    void sealSegment(WriteLane lane) {
        if (lane.segment() != null) {
            seal(lane);
        }
    }

    /** Counts a finished record of {@code segmentId} whose metadata commit has not happened yet. */
    void pin(long segmentId) {
        uncommitted.merge(segmentId, 1, Integer::sum);
    }

    /** The record's commit happened or was given up. */
    void unpin(long segmentId) {
        uncommitted.computeIfPresent(segmentId, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * True while a record of the segment may still gain a row. Pins are only taken while the segment
     * is active, so once a sealed segment answers false it answers false for good.
     */
    public boolean hasUncommitted(long segmentId) {
        return uncommitted.containsKey(segmentId);
    }

    /** The segments currently taking appends (for space accounting). */
    public Collection<ActiveSegment> activeSegments() {
        return List.copyOf(active.values());
    }

    /** Appends waiting for a lane right now (for observation). */
    public synchronized int waitingForLanes() {
        return waiters.size();
    }

    /** Lanes held by writers right now: threads appending a record at this moment (for observation). */
    public synchronized int busyLanes() {
        return busy;
    }

    private synchronized void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("segment store is closed");
        }
    }

    /** Fails the waiters, then syncs and seals every idle lane's segment; busy lanes seal on release. */
    @Override
    public void close() {
        List<WriteLane> lanes;
        List<Waiter> gaveUp;
        synchronized (this) {
            closed = true;
            lanes = new ArrayList<>(idle);
            created -= idle.size();
            idle.clear();
            gaveUp = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : gaveUp) {
            w.future().completeExceptionally(new IOException("segment store is closed"));
        }
        for (WriteLane lane : lanes) {
            if (lane.segment() != null) {
                seal(lane);
            }
        }
        writeback.close();
    }

    private static void closeQuietly(ActiveSegment seg) {
        try {
            seg.close();
        } catch (IOException e) {
            LOG.debug("closing segment {}", seg.id(), e);
        }
    }
}
