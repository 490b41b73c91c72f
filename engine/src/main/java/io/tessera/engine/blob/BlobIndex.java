package io.tessera.engine.blob;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.HeldBlob;
import io.tessera.engine.meta.BlobTable;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaSnapshot;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.MetaTables;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.SegmentHandle;
import io.tessera.engine.segment.SegmentReaders;
import io.tessera.engine.segment.WriteLanes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of blob rows and segment live bytes. Every command that adds or drops a blob,
 * compaction's re-pointing of moved blobs, and the retirement of a dead segment go through here,
 * so the rule "a segment's live bytes are the record lengths of the pieces of blob rows located in it" and
 * the rule "a segment file is deleted only when nothing can reach it any more" each live in one
 * method.
 *
 * <p>The move lock: commands that add or drop blobs, and readers that resolve locations, hold it
 * shared; moving blobs (compaction's remap) and retiring segments hold it exclusively. So a reader
 * that located a blob has pinned its segment before that segment can be retired, and a drop never
 * subtracts from a segment the blob just left.
 *
 * <p>Thread-safe.
 */
public final class BlobIndex {
    private static final Logger LOG = LoggerFactory.getLogger(BlobIndex.class);
    private final MetaStore meta;
    private final BlobTable blobs;
    private final WriteLanes lanes;
    private final SegmentReaders readers;
    /** Pending blobs dropped by one batch of the retention sweep, at most. */
    private static final int SWEEP_BATCH = 1000;
    private final ReentrantReadWriteLock moveLock = new ReentrantReadWriteLock();
    /**
     * Serialise {@link #hold}s of one blob id (a sender's retry may race its first attempt), by stripe:
     * holds of different blobs still share their WAL syncs.
     */
    private final Object[] holdStripes = new Object[64];
    /** Blobs written on this node that a command in flight names, by id; see {@link #staged}. */
    private final ConcurrentHashMap<Long, BlobPieces> written = new ConcurrentHashMap<>();
    /**
     * Whether this node is a member of a replicated group, where a command may name a blob whose bytes
     * have not reached this node: it is then counted missing, not a broken invariant.
     */
    private volatile boolean replica;
    private final java.util.concurrent.atomic.AtomicLong missing = new java.util.concurrent.atomic.AtomicLong();
    /** The ids of the blobs counted in {@link #missing} and not fetched yet. */
    private final java.util.Set<Long> missingIds = ConcurrentHashMap.newKeySet();
    private final LongSupplier clockMillis;

    BlobIndex(MetaStore meta, WriteLanes lanes, SegmentReaders readers, LongSupplier clockMillis) {
        this.meta = meta;
        this.blobs = meta.tables().blobs();
        this.lanes = lanes;
        this.readers = readers;
        this.clockMillis = clockMillis;
        for (int i = 0; i < holdStripes.length; i++) {
            holdStripes[i] = new Object();
        }
    }

    /**
     * Makes this index a group member's: see {@link #replica}; and the blobs this node writes are
     * {@link #staged} durably as pending, since their command may apply after a restart.
     */
    public void actAsReplica() {
        replica = true;
    }

    /** A batch for a command that adds or drops blobs; closing it ends the command's hold on blob moves. */
    public MetaBatch newBatch() {
        moveLock.readLock().lock();
        return meta.newBatch(moveLock.readLock()::unlock);
    }

    /** Adds the row of a durable blob and counts its pieces' records as live. */
    public void add(MetaBatch batch, long blobId, BlobPieces blob) {
        blobs.add(batch, blobId, blob);
    }

    /**
     * Registers a blob this node wrote and made durable, which a command about to be logged names: the
     * command's apply {@link #adopt adopts} it, or {@link #abandon abandons} it when the command is refused.
     * On its own the node keeps it in memory: the writer holds its segment pins until the command applied,
     * in the same process. In a group the command may apply after a restart or a leader change, so the
     * blob is {@link #hold held} durably as pending instead.
     */
    public void staged(long blobId, BlobPieces blob, byte[] md5) {
        if (replica) {
            hold(blobId, blob, md5);
        } else {
            written.put(blobId, blob);
        }
    }

    /**
     * Records a durable blob as pending, in one synced batch: its row, counted live (so collection keeps
     * its records), and its {@code pending_blobs} entry, until a command adopts it or the retention sweep
     * drops it. The blob's id was chosen by the node that took the request. If this node holds a row for
     * that id already (a sender's retry), the new records are garbage and false is returned; if that row
     * holds other bytes, two nodes chose one id and the hold is refused (INVALID_REQUEST).
     *
     * @param md5 the MD5 of the whole blob (the last piece's trailer holds it)
     * @return whether the blob was held now
     */
    public boolean hold(long blobId, BlobPieces blob, byte[] md5) {
        try (MetaBatch batch = newBatch()) { // the move lock before the stripe, as an apply takes them
            synchronized (holdStripe(blobId)) {
                BlobPieces held = blobs.get(blobId);
                if (held != null) {
                    requireSameBytes(blobId, held, blob, md5);
                    return false;
                }
                if (missingIds.contains(blobId)) { // its command applied already: the bytes are live at once
                    blobs.add(batch, blobId, blob);
                    meta.commit(batch);
                    missingIds.remove(blobId);
                    LOG.info("blob {} fetched from another member", blobId);
                } else {
                    blobs.addPending(batch, blobId, blob, clockMillis.getAsLong());
                    meta.commit(batch);
                }
                return true;
            }
        }
    }

    /** A second copy of a blob must be the same bytes: same length, same MD5 in its last trailer. */
    private void requireSameBytes(long blobId, BlobPieces held, BlobPieces received, byte[] md5) {
        BlobLocation last = held.piece(held.count() - 1);
        byte[] heldMd5;
        SegmentHandle segment;
        try {
            segment = readers.acquire(last.segmentId());
        } catch (IOException e) {
            throw EngineException.io("cannot open a segment of blob " + blobId, e);
        }
        try {
            heldMd5 = BlobReader.trailerMd5(segment.channel(), last);
        } catch (IOException e) {
            throw EngineException.io("cannot read blob " + blobId, e);
        } finally {
            segment.release();
        }
        if (held.length() != received.length() || !java.util.Arrays.equals(heldMd5, md5)) {
            throw new EngineException(ErrorCode.INVALID_REQUEST, "blob id " + blobId
                    + " is held here with other bytes: two nodes chose the same blob id");
        }
    }

    /**
     * Stages the row of a blob a command names: a blob {@link #staged} in memory gets its row as {@link #add}
     * does, a pending one loses its pending entry (its row stays). Only the thread that applies commands
     * calls it. A blob neither staged nor pending is a broken invariant on a node on its own, and counted
     * {@link #missingBlobs missing} on a group member.
     */
    public void adopt(MetaBatch batch, long blobId) {
        BlobPieces blob = written.remove(blobId);
        if (blob != null) {
            add(batch, blobId, blob);
            return;
        }
        synchronized (holdStripe(blobId)) { // a receive of this blob either lands before, or sees it missing
            if (blobs.pendingSince(blobId) >= 0) {
                blobs.clearPending(batch, blobId);
                return;
            }
            if (!replica) {
                throw new IllegalStateException("blob " + blobId + " was never written on this node");
            }
            if (blobs.get(blobId) == null) {
                markMissing(blobId);
            }
        }
    }

    /** Blobs named by a command applied here whose bytes this node does not hold (a group member only). */
    public long missingBlobs() {
        return missing.get();
    }

    /**
     * Blobs this member knows it lacks (named by a command it applied, or by a read), to be fetched from
     * the others: a blob received from now on is kept as live, not pending.
     */
    public java.util.List<Long> missingBlobIds(int max) {
        return missingIds.stream().limit(max).toList();
    }

    private void markMissing(long blobId) {
        if (missingIds.add(blobId)) {
            missing.incrementAndGet();
            LOG.warn("blob {} is named by a command but its bytes are not on this node: fetching them", blobId);
        }
    }

    /** Whether this node holds blob {@code blobId}'s bytes (a row, pending or not). */
    public boolean holds(long blobId) {
        return blobs.get(blobId) != null;
    }

    private Object holdStripe(long blobId) {
        return holdStripes[(int) (blobId & (holdStripes.length - 1))];
    }

    /**
     * Forgets a blob {@link #staged} in memory whose command the node failed to apply: its records are
     * garbage from now on. A pending blob stays pending: the command may still apply (a group replays it).
     */
    public void forgetStaged(long blobId) {
        written.remove(blobId);
    }

    /**
     * Abandons the blobs of a command the state refused, in the batch that records the refusal: a blob
     * staged in memory is forgotten (its records were never counted), a pending one is dropped with its
     * pending entry, so its live bytes go in the same atomic step.
     */
    public void abandon(MetaBatch batch, List<Long> blobIds) {
        List<Long> pending = new ArrayList<>();
        for (long blobId : blobIds) {
            if (written.remove(blobId) == null && blobs.pendingSince(blobId) >= 0) {
                pending.add(blobId);
                blobs.clearPending(batch, blobId);
            }
        }
        if (!pending.isEmpty()) {
            drop(batch, pending);
        }
    }

    /**
     * Drops pending blobs received before {@code cutoffMillis} that no command adopted (the command never
     * got into the log): rows, live bytes and pending entries, a batch at a time. Runs with blob moves held
     * off, so no command's batch is between reading a pending entry and committing its adoption.
     *
     * @return how many blobs were dropped
     */
    public int dropPendingBefore(long cutoffMillis) {
        List<Long> expired = new ArrayList<>();
        blobs.forEachPending((blobId, receivedMillis) -> {
            if (receivedMillis < cutoffMillis) {
                expired.add(blobId);
            }
        });
        int dropped = 0;
        for (int from = 0; from < expired.size(); from += SWEEP_BATCH) {
            List<Long> some = expired.subList(from, Math.min(expired.size(), from + SWEEP_BATCH));
            moveLock.writeLock().lock();
            try (MetaBatch batch = meta.newBatch()) {
                List<Long> still = new ArrayList<>(some.size());
                for (long blobId : some) {
                    if (blobs.pendingSince(blobId) >= 0) { // re-checked: a command may have adopted it meanwhile
                        still.add(blobId);
                        blobs.clearPending(batch, blobId);
                    }
                }
                drop(batch, still);
                meta.commit(batch);
                dropped += still.size();
            } finally {
                moveLock.writeLock().unlock();
            }
        }
        if (dropped > 0) {
            LOG.info("dropped {} pending blob(s) received before {} that no command adopted", dropped, cutoffMillis);
        }
        return dropped;
    }

    /**
     * On a member's open: records as {@link #missingBlobIds missing} every blob the replicated state names
     * and this node holds no row of (commands applied before a restart whose bytes had not come yet), so
     * they are fetched again; the missing set itself lives in memory. Returns how many it found.
     */
    public int findMissing() {
        moveLock.writeLock().lock();
        try {
            long[] referenced = referencedBlobs(meta.tables());
            int found = 0;
            long previous = Long.MIN_VALUE;
            for (long blobId : referenced) {
                if (blobId != previous && blobs.get(blobId) == null) {
                    markMissing(blobId);
                    found++;
                }
                previous = blobId;
            }
            return found;
        } finally {
            moveLock.writeLock().unlock();
        }
    }

    /** What {@link #reconcile} did: blobs dropped as garbage, pending ones adopted, referenced ones lacking. */
    public record Reconciled(int dropped, int adopted, int missing) {
    }

    /**
     * Brings this node's blob rows in line with replicated state that was replaced as a whole (a checkpoint
     * installed): a blob the state references is kept, a pending one adopted (the command naming it applied
     * where the checkpoint was made), and one this node lacks is recorded {@link #missingBlobIds missing}
     * so that it is fetched; a blob the state does not reference and that is not pending is dropped with its
     * live bytes. Only the thread that applies commands calls it; blob moves, holds and commands' batches
     * are held off meanwhile, so no receive or compaction is between the scans and the batches.
     */
    public Reconciled reconcile() {
        moveLock.writeLock().lock();
        try {
            long[] referenced = referencedBlobs(meta.tables());
            java.util.Set<Long> pending = new java.util.HashSet<>();
            blobs.forEachPending((blobId, receivedMillis) -> pending.add(blobId));
            List<Long> garbage = new ArrayList<>();
            List<Long> adopted = new ArrayList<>();
            java.util.Set<Long> held = new java.util.HashSet<>();
            blobs.forEach((blobId, pieces) -> {
                boolean isReferenced = java.util.Arrays.binarySearch(referenced, blobId) >= 0;
                if (isReferenced) {
                    held.add(blobId);
                    if (pending.contains(blobId)) {
                        adopted.add(blobId);
                    }
                } else if (!pending.contains(blobId)) {
                    garbage.add(blobId);
                }
            });
            for (int from = 0; from < adopted.size(); from += SWEEP_BATCH) {
                try (MetaBatch batch = meta.newBatch()) {
                    adopted.subList(from, Math.min(adopted.size(), from + SWEEP_BATCH))
                            .forEach(blobId -> blobs.clearPending(batch, blobId));
                    meta.commit(batch);
                }
            }
            for (int from = 0; from < garbage.size(); from += SWEEP_BATCH) {
                try (MetaBatch batch = meta.newBatch()) {
                    drop(batch, garbage.subList(from, Math.min(garbage.size(), from + SWEEP_BATCH)));
                    meta.commit(batch);
                }
            }
            java.util.Set<Long> lacking = new java.util.HashSet<>();
            long previous = Long.MIN_VALUE;
            for (long blobId : referenced) {
                if (blobId != previous && !held.contains(blobId)) {
                    lacking.add(blobId);
                }
                previous = blobId;
            }
            missingIds.retainAll(lacking); // a blob the installed state no longer names is not worth fetching
            lacking.forEach(this::markMissing);
            LOG.info("blobs after installing a checkpoint: {} dropped as garbage, {} pending adopted, {} to fetch",
                    garbage.size(), adopted.size(), lacking.size());
            return new Reconciled(garbage.size(), adopted.size(), lacking.size());
        } finally {
            moveLock.writeLock().unlock();
        }
    }

    /** Every blob id the replicated rows reference (parts, objects, stored versions), sorted. */
    private static long[] referencedBlobs(MetaTables t) {
        long[][] ids = {new long[1024]};
        int[] n = {0};
        java.util.function.LongConsumer add = blobId -> {
            if (n[0] == ids[0].length) {
                ids[0] = java.util.Arrays.copyOf(ids[0], n[0] * 2);
            }
            ids[0][n[0]++] = blobId;
        };
        t.parts().forEach((uploadId, part) -> add.accept(part.blobId()));
        t.objects().forEach((bucketId, key, row) -> row.extents().forEach(e -> add.accept(e.blobId())));
        t.versions().forEach((bucketId, key, row) -> row.extents().forEach(e -> add.accept(e.blobId())));
        long[] sorted = java.util.Arrays.copyOf(ids[0], n[0]);
        java.util.Arrays.sort(sorted);
        return sorted;
    }

    /** How many blobs are pending (held, no command adopted them yet). */
    public long pendingBlobs() {
        long[] n = {0};
        blobs.forEachPending((blobId, receivedMillis) -> n[0]++);
        return n[0];
    }

    /** Drops blobs (one multi-get for their rows) and counts every piece's record dead in its segment. */
    public void drop(MetaBatch batch, List<Long> blobIds) {
        List<BlobPieces> rows = blobs.getAll(blobIds);
        Map<Long, Long> deadBySegment = new TreeMap<>();
        for (int i = 0; i < blobIds.size(); i++) {
            BlobPieces blob = rows.get(i);
            if (blob == null) {
                if (!replica) {
                    throw new IllegalStateException("blob " + blobIds.get(i) + " is referenced but has no location");
                }
                continue; // its bytes never reached this member: nothing to drop
            }
            blobs.deleteRow(batch, blobIds.get(i));
            blob.recordBytesBySegment().forEach((segment, bytes) -> deadBySegment.merge(segment, bytes, Long::sum));
        }
        deadBySegment.forEach((segment, bytes) -> blobs.addLive(batch, segment, -bytes)); // one merge per segment
    }

    public void drop(MetaBatch batch, long blobId) {
        drop(batch, List.of(blobId));
    }

    /**
     * A blob's pieces with the segment of each held open ({@code segments.get(i)} holds piece {@code i});
     * {@link #release()} when done.
     */
    public record PinnedBlob(long blobId, BlobPieces pieces, List<SegmentHandle> segments) {
        public void release() {
            segments.forEach(SegmentHandle::release);
        }
    }

    /** What a consistent read sees: the metadata at one instant, and a way to pin the blobs it names. */
    public interface ReadView {
        MetaTables tables();

        /** Pins the segment of every piece of a blob as located in this view; CORRUPTION-free: fails only on I/O. */
        PinnedBlob pin(long blobId);
    }

    /**
     * Runs {@code work} on a snapshot of the metadata with blob moves and segment retirements held
     * off, so every blob it pins is where the snapshot says and its files stay until released. The
     * result is one committed state, whatever writers, deletes and compaction do meanwhile. If
     * {@code work} fails, it must release what it pinned.
     */
    public <T> T read(Function<ReadView, T> work) {
        moveLock.readLock().lock();
        try (MetaSnapshot snapshot = meta.snapshot()) {
            MetaTables tables = snapshot.tables();
            return work.apply(new ReadView() {
                @Override
                public MetaTables tables() {
                    return tables;
                }

                @Override
                public PinnedBlob pin(long blobId) {
                    BlobPieces blob = tables.blobs().get(blobId);
                    if (blob == null) {
                        if (replica) { // its bytes have not reached this member (yet): fetch them
                            markMissing(blobId);
                            throw new EngineException(ErrorCode.SLOW_DOWN, "the bytes of blob " + blobId
                                    + " are not on this node yet");
                        }
                        throw new IllegalStateException("blob " + blobId + " is referenced but has no location");
                    }
                    List<SegmentHandle> held = new ArrayList<>(blob.count());
                    try {
                        for (BlobLocation piece : blob.pieces()) {
                            held.add(readers.acquire(piece.segmentId()));
                        }
                        return new PinnedBlob(blobId, blob, List.copyOf(held));
                    } catch (IOException e) {
                        held.forEach(SegmentHandle::release);
                        throw EngineException.io("cannot open a segment of blob " + blobId, e);
                    } catch (RuntimeException e) {
                        held.forEach(SegmentHandle::release);
                        throw e;
                    }
                }
            });
        } finally {
            moveLock.readLock().unlock();
        }
    }

    /**
     * Opens the bytes of a blob this node holds (pending or adopted) with its segments pinned, or returns
     * null when it holds no row for it.
     */
    public HeldBlob open(long blobId) {
        PinnedBlob pinned = read(view -> view.tables().blobs().get(blobId) == null ? null : view.pin(blobId));
        return pinned == null ? null : HeldBlobReader.open(pinned);
    }

    /**
     * A compaction copy: the piece of blob {@code blobId} whose body starts at {@code blobOffset} in the blob
     * was at {@code from} and has a durable copy at {@code to}.
     */
    public record Move(long blobId, long blobOffset, BlobLocation from, BlobLocation to) {
    }

    /**
     * Re-points each moved piece whose blob's row still has it at its old place (compare-and-set per piece:
     * a blob dropped, or a piece moved, meanwhile leaves its copy as garbage) and moves the live bytes with
     * it, in one batch. If the segment is left with no live byte, the same batch forgets it and its file is
     * retired.
     *
     * @return the live bytes left in {@code segmentId}
     */
    public long remap(long segmentId, List<Move> moves) {
        Map<Long, List<Move>> byBlob = new LinkedHashMap<>();
        for (Move m : moves) {
            byBlob.computeIfAbsent(m.blobId(), id -> new ArrayList<>()).add(m);
        }
        long left;
        moveLock.writeLock().lock();
        try (MetaBatch batch = meta.newBatch()) {
            long moved = 0;
            for (Map.Entry<Long, List<Move>> e : byBlob.entrySet()) {
                BlobPieces before = blobs.get(e.getKey());
                if (before == null) {
                    continue; // dropped meanwhile
                }
                BlobPieces after = before;
                for (Move m : e.getValue()) {
                    int i = after.indexAt(m.blobOffset());
                    if (i < 0 || !after.piece(i).equals(m.from())) {
                        continue;
                    }
                    after = after.with(i, m.to());
                    moved += m.from().recordLength();
                }
                if (after != before) {
                    blobs.move(batch, e.getKey(), before, after);
                }
            }
            left = blobs.liveBytes(segmentId) - moved;
            if (left == 0) {
                forget(batch, segmentId);
            }
            meta.commit(batch);
        } finally {
            moveLock.writeLock().unlock();
        }
        if (left == 0) {
            retireFile(segmentId);
        }
        return left;
    }

    /**
     * Retires a sealed segment if, checked now under the exclusion, it holds no live byte and no
     * record awaiting its commit: its row and counter go in one batch, its file once no reader
     * holds it. A crash in between leaves an orphan file for recovery.
     *
     * @return true if the segment was retired
     */
    public boolean retireIfDead(long segmentId) {
        moveLock.writeLock().lock();
        try {
            SegmentRecord row = meta.tables().segments().get(segmentId);
            if (row == null || row.state() != SegmentRecord.SegmentState.SEALED
                    || lanes.hasUncommitted(segmentId) || blobs.liveBytes(segmentId) != 0) {
                return false;
            }
            try (MetaBatch batch = meta.newBatch()) {
                forget(batch, segmentId);
                meta.commit(batch);
            }
        } finally {
            moveLock.writeLock().unlock();
        }
        retireFile(segmentId);
        return true;
    }

    private void forget(MetaBatch batch, long segmentId) {
        meta.tables().segments().delete(batch, segmentId);
        blobs.forgetSegment(batch, segmentId);
    }

    private void retireFile(long segmentId) {
        readers.retire(segmentId);
    }
}
