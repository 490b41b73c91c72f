package io.tessera.engine.blob;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.meta.BlobTable;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaSnapshot;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.MetaTables;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
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
    private final ReentrantReadWriteLock moveLock = new ReentrantReadWriteLock();
    /** Blobs written on this node that a command in flight names, by id; see {@link #written}. */
    private final ConcurrentHashMap<Long, BlobPieces> written = new ConcurrentHashMap<>();
    /**
     * Whether this node is a member of a replicated group, where a command may name a blob whose bytes
     * have not reached this node: it is then counted missing, not a broken invariant.
     */
    private volatile boolean replica;
    private final java.util.concurrent.atomic.AtomicLong missing = new java.util.concurrent.atomic.AtomicLong();

    BlobIndex(MetaStore meta, WriteLanes lanes, SegmentReaders readers) {
        this.meta = meta;
        this.blobs = meta.tables().blobs();
        this.lanes = lanes;
        this.readers = readers;
    }

    /** Makes this index a group member's: see {@link #replica}. */
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
     * command's apply {@link #adopt adopts} it, or {@link #abandon abandons} it when the command fails.
     */
    public void written(long blobId, BlobPieces blob) {
        written.put(blobId, blob);
    }

    /**
     * Stages the row of a blob a command names as {@link #add} does. Only the thread that applies
     * commands calls it; the blob must have been {@link #written} here.
     */
    public void adopt(MetaBatch batch, long blobId) {
        BlobPieces blob = written.remove(blobId);
        if (blob == null) {
            if (!replica) {
                throw new IllegalStateException("blob " + blobId + " was never written on this node");
            }
            missing.incrementAndGet();
            LOG.warn("blob {} is named by a command but its bytes never reached this node", blobId);
            return;
        }
        add(batch, blobId, blob);
    }

    /** Blobs named by a command applied here whose bytes this node does not hold (a group member only). */
    public long missingBlobs() {
        return missing.get();
    }

    /** Forgets a written blob whose command failed: its records are garbage from now on. */
    public void abandon(long blobId) {
        written.remove(blobId);
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
                        if (replica) { // its bytes have not reached this member (yet): another may serve it
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
