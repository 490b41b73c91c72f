package io.tessera.engine.gc;

import io.tessera.engine.EngineException;
import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.blob.SegmentSpace;
import io.tessera.engine.meta.BlobCodec;
import io.tessera.engine.meta.ColumnFamily;
import io.tessera.engine.meta.Keys;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentScanner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Space reclaim. A sealed segment with no live record is deleted; a sealed segment with enough dead
 * records is compacted:
 *
 * <ol>
 *   <li><b>Copy.</b> Scan the segment; every intact record whose {@code blobs} row still points at
 *       exactly this place is copied (verified block by block) through a write lane, keeping its
 *       blob id, owner and part number.</li>
 *   <li><b>Sync.</b> The copies are made durable.</li>
 *   <li><b>Remap.</b> With blob moves excluded, each row that still points at the old place is
 *       re-pointed (compare-and-set) and the live bytes move with it, in one batch; if nothing live
 *       is left, the same batch removes the segment's row.</li>
 *   <li><b>Delete.</b> The file goes once the last reader lets go.</li>
 * </ol>
 *
 * A crash before the remap leaves unreferenced copies (garbage for the next cycle); a crash after it
 * leaves a file without a row (deleted by recovery). No step needs undoing.
 *
 * <p>Thread-safe; one cycle runs at a time.
 */
public final class SegmentGc {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentGc.class);
    private static final int COPY_WINDOW = 4 * RecordFormat.BLOCK_SIZE;

    private final BlobStore blobs;
    private final GcPolicy policy;
    private final CrashPoints crashPoints;
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong compacted = new AtomicLong();
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong reclaimed = new AtomicLong();

    public SegmentGc(BlobStore blobs, GcPolicy policy, CrashPoints crashPoints) {
        this.blobs = blobs;
        this.policy = policy;
        this.crashPoints = crashPoints;
    }

    /**
     * Runs one cycle. A full cycle first seals idle active segments and then compacts every sealed
     * segment with any dead byte; otherwise only segments past the policy's dead ratio are compacted.
     */
    public synchronized GcReport collect(boolean full) {
        if (full) {
            blobs.sealIdleSegments();
        }
        int segDeleted = 0;
        int segCompacted = 0;
        long bytesCopied = 0;
        long bytesReclaimed = 0;
        for (SegmentSpace s : blobs.space().values()) {
            if (s.active() || blobs.hasUncommitted(s.segmentId())) {
                continue; // still taking appends, or a written record may still gain its row
            }
            if (s.liveBytes() == 0) {
                blobs.retireSegment(s.segmentId());
                segDeleted++;
                bytesReclaimed += s.size();
                continue;
            }
            long payload = s.size() - SegmentFiles.FILE_HEADER_SIZE;
            boolean worth = full ? s.deadBytes() > 0 : s.deadBytes() >= policy.compactDeadRatio() * payload;
            if (worth) {
                long[] result = compact(s);
                bytesCopied += result[0];
                if (result[1] == 0) {
                    segCompacted++;
                    bytesReclaimed += s.size();
                }
            }
        }
        cycles.incrementAndGet();
        deleted.addAndGet(segDeleted);
        compacted.addAndGet(segCompacted);
        copied.addAndGet(bytesCopied);
        reclaimed.addAndGet(bytesReclaimed);
        return new GcReport(segDeleted, segCompacted, bytesCopied, bytesReclaimed);
    }

    /** Runs {@code work} while no cycle runs (fsck wants files to stay put). */
    public synchronized <T> T excluding(Supplier<T> work) {
        return work.get();
    }

    public GcStats stats() {
        return new GcStats(cycles.get(), deleted.get(), compacted.get(), copied.get(), reclaimed.get());
    }

    private record Move(long blobId, BlobLocation from, RecordWriter.Sealed to) {
    }

    /** Compacts one segment; returns {bytes copied, live bytes left behind}. */
    private long[] compact(SegmentSpace s) {
        long id = s.segmentId();
        Path path = SegmentFiles.path(blobs.directory(), id);
        MetaStore meta = blobs.meta();
        List<Move> moves = new ArrayList<>();
        try {
            return compact(id, path, meta, moves);
        } finally {
            moves.forEach(m -> m.to().release());
        }
    }

    private long[] compact(long id, Path path, MetaStore meta, List<Move> moves) {
        long bytes = 0;
        long started = System.nanoTime();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            SegmentScanner.ScanResult scan = SegmentScanner.scan(path, -1, false);
            ByteBuffer window = ByteBuffer.allocateDirect(COPY_WINDOW);
            for (SegmentScanner.ScannedRecord rec : scan.records()) {
                BlobLocation loc = rec.location(id);
                byte[] row = meta.get(ColumnFamily.BLOBS, Keys.u64(rec.header().blobId()));
                if (row == null || !BlobCodec.decode(row).equals(loc)) {
                    continue; // dead: nothing points here
                }
                if (!rec.intact()) {
                    LOG.error("segment {}: live blob {} at {} has a damaged trailer; left in place", id,
                            rec.header().blobId(), loc.offset());
                    continue;
                }
                RecordWriter.Sealed sealed = copy(ch, rec, loc, window);
                if (sealed != null) {
                    moves.add(new Move(rec.header().blobId(), loc, sealed));
                    bytes += loc.recordLength();
                    throttle(started, bytes);
                }
            }
            crashPoints.reached(CrashPoint.COMPACT_AFTER_COPY);
            for (Move m : moves) {
                m.to().sync();
            }
        } catch (IOException e) {
            throw EngineException.io("compacting segment " + id, e);
        }
        crashPoints.reached(CrashPoint.COMPACT_AFTER_SYNC);
        long left = blobs.exclusively(() -> remap(id, moves));
        crashPoints.reached(CrashPoint.COMPACT_AFTER_REMAP);
        if (left == 0) {
            blobs.retireFile(id);
        }
        return new long[] {bytes, left};
    }

    /** Copies one record's body, verified, to a new place; null if its bytes fail their CRCs. */
    private RecordWriter.Sealed copy(FileChannel ch, SegmentScanner.ScannedRecord rec, BlobLocation loc,
                                     ByteBuffer window) throws IOException {
        RecordWriter w = blobs.copyWriter(rec.header());
        try {
            long body = loc.bodyLength();
            for (long from = 0; from < body; from += COPY_WINDOW) {
                window.clear().limit((int) Math.min(COPY_WINDOW, body - from));
                BlobReader.readVerified(ch, rec.header().blobId(), loc, from >>> RecordFormat.BLOCK_SHIFT, window);
                w.write(window);
            }
            w.digest();
            return w.seal();
        } catch (BlobReader.CorruptRecordException e) {
            LOG.error("segment {}: live blob {} is corrupt ({}); left in place", loc.segmentId(),
                    rec.header().blobId(), e.getMessage());
            w.abandon();
            return null;
        } catch (RecordWriter.BodyTooLargeException e) {
            w.abandon();
            throw new IllegalStateException(e);
        } catch (IOException | RuntimeException e) {
            w.abandon();
            throw e;
        }
    }

    /** Re-points rows that still point at the old place; returns the live bytes left in the segment. */
    private long remap(long segmentId, List<Move> moves) {
        MetaStore meta = blobs.meta();
        long moved = 0;
        try (MetaBatch batch = meta.newBatch()) {
            for (Move m : moves) {
                byte[] key = Keys.u64(m.blobId());
                byte[] row = meta.get(ColumnFamily.BLOBS, key);
                if (row == null || !BlobCodec.decode(row).equals(m.from())) {
                    continue; // dropped or moved meanwhile: the copy is garbage
                }
                BlobLocation to = m.to().location();
                batch.put(ColumnFamily.BLOBS, key, BlobCodec.encode(to));
                batch.addLiveBytes(to.segmentId(), to.recordLength());
                batch.addLiveBytes(segmentId, -m.from().recordLength());
                moved += m.from().recordLength();
            }
            long left = meta.liveBytes(segmentId) - moved;
            if (left == 0) {
                blobs.catalog().remove(batch, segmentId);
            }
            meta.commit(batch);
            return left;
        }
    }

    private void throttle(long startedNanos, long bytes) {
        if (policy.bytesPerSecond() <= 0) {
            return;
        }
        long due = startedNanos + (long) (bytes * 1e9 / policy.bytesPerSecond());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait); // rate limit, not synchronisation
        }
    }

    /** Per-segment space, for observation. */
    public Map<Long, SegmentSpace> space() {
        return blobs.space();
    }
}
