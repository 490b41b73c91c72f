package io.tessera.engine.gc;

import io.tessera.engine.EngineException;
import io.tessera.engine.GcPolicy;
import io.tessera.engine.GcReport;
import io.tessera.engine.GcStats;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.SegmentSpace;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentScanner;
import io.tessera.engine.segment.WriteLane;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
 *   <li><b>Copy.</b> Scan the segment; every intact record whose blob's row still has the piece the
 *       record names (its blob offset) at exactly this place is copied (verified block by block)
 *       through a write lane, keeping its header (blob id and piece, owner, part number) and its
 *       trailer's MD5.</li>
 *   <li><b>Sync.</b> The copies are made durable.</li>
 *   <li><b>Remap.</b> With blob moves excluded, each piece that a row still has at the old place is
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
    private volatile long lastFullNanos = System.nanoTime();

    public SegmentGc(BlobStore blobs, GcPolicy policy, CrashPoints crashPoints) {
        this.blobs = blobs;
        this.policy = policy;
        this.crashPoints = crashPoints;
    }

    /**
     * Runs one cycle. A full cycle first seals every idle active segment and then compacts every
     * sealed segment with any dead byte; otherwise only segments idle past the policy's bound are
     * sealed and only segments past its dead ratio are compacted. Dead segments are retired either way,
     * before any compaction; a segment whose live bytes do not fit on the disk now is not compacted.
     */
    public synchronized GcReport collect(boolean full) {
        if (full) {
            lastFullNanos = System.nanoTime();
        }
        blobs.sealIdleSegments(full ? Duration.ZERO : policy.sealIdleAfter());
        BlobIndex index = blobs.index();
        int segDeleted = 0;
        int segCompacted = 0;
        long bytesCopied = 0;
        long bytesReclaimed = 0;
        Map<Long, SegmentSpace> space = blobs.space();
        crashPoints.reached(CrashPoint.CYCLE_AFTER_SCAN);
        List<SegmentSpace> toCompact = new ArrayList<>();
        // dead segments first: deleting them takes no space, and compaction may need what they free
        for (SegmentSpace s : space.values()) {
            if (s.active() || blobs.lanes().hasUncommitted(s.segmentId())) {
                continue; // still taking appends, or a written record may still gain its row
            }
            if (s.liveBytes() == 0) {
                if (index.retireIfDead(s.segmentId())) { // re-checked under the exclusion
                    segDeleted++;
                    bytesReclaimed += s.size();
                }
                continue;
            }
            long payload = s.size() - SegmentFiles.FILE_HEADER_SIZE;
            if (full ? s.deadBytes() > 0 : s.deadBytes() >= policy.compactDeadRatio() * payload) {
                toCompact.add(s);
            }
        }
        toCompact.sort(Comparator.comparingLong(SegmentSpace::liveBytes)); // on a full disk, the cheap ones fit
        for (SegmentSpace s : toCompact) {
            if (!blobs.lanes().space().hasRoom(s.liveBytes(), true)) {
                LOG.info("segment {}: no room on the disk to copy its {} live bytes; compaction waits", s.segmentId(),
                        s.liveBytes());
                continue; // one with fewer live bytes may still fit
            }
            long[] result = compact(s);
            bytesCopied += result[0];
            if (result[1] == 0) {
                segCompacted++;
                bytesReclaimed += s.size();
            }
        }
        cycles.incrementAndGet();
        deleted.addAndGet(segDeleted);
        compacted.addAndGet(segCompacted);
        copied.addAndGet(bytesCopied);
        reclaimed.addAndGet(bytesReclaimed);
        return new GcReport(segDeleted, segCompacted, bytesCopied, bytesReclaimed);
    }

    /**
     * A background cycle: a full one once {@link GcPolicy#fullEvery()} has passed since the last, or
     * when a write was refused for lack of space since the last cycle (deleted objects' space must come
     * back with the next cycle then, not within the hour).
     */
    public GcReport backgroundCycle() {
        boolean shortage = blobs.lanes().space().takeShortage();
        return collect(shortage || System.nanoTime() - lastFullNanos >= policy.fullEvery().toNanos());
    }

    /** Runs {@code work} while no cycle runs (fsck wants files to stay put). */
    public synchronized <T> T excluding(Supplier<T> work) {
        return work.get();
    }

    public GcStats stats() {
        return new GcStats(cycles.get(), deleted.get(), compacted.get(), copied.get(), reclaimed.get());
    }

    /** A copy made for compaction, held until its rows were re-pointed or given up. */
    private record Copy(long blobId, long blobOffset, BlobLocation from, RecordWriter.Sealed to) {
    }

    /** Compacts one segment; returns {bytes copied, live bytes left behind}. */
    private long[] compact(SegmentSpace s) {
        List<Copy> copies = new ArrayList<>();
        try {
            return compact(s.segmentId(), SegmentFiles.path(blobs.directory(), s.segmentId()), copies);
        } finally {
            copies.forEach(c -> c.to().release());
        }
    }

    private long[] compact(long id, Path path, List<Copy> copies) {
        long bytes = 0;
        long started = System.nanoTime();
        var rows = blobs.meta().tables().blobs();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            SegmentScanner.ScanResult scan = SegmentScanner.scan(path, -1, false);
            ByteBuffer window = ByteBuffer.allocateDirect(COPY_WINDOW);
            for (SegmentScanner.ScannedRecord rec : scan.records()) {
                BlobLocation loc = rec.location(id);
                BlobPieces row = rows.get(rec.header().blobId());
                int piece = row == null ? -1 : row.indexAt(rec.header().blobOffset());
                if (piece < 0 || !loc.equals(row.piece(piece))) {
                    continue; // dead: nothing points here
                }
                if (!rec.intact()) {
                    LOG.error("segment {}: live blob {} at {} has a damaged trailer; left in place", id,
                            rec.header().blobId(), loc.offset());
                    continue;
                }
                byte[] md5 = BlobReader.trailerMd5(ch, loc); // covers the blob up to this piece: copied, not recomputed
                WriteLane lane = blobs.lanes().tryAcquireForCompaction();
                if (lane == null) {
                    LOG.debug("segment {}: every write lane is busy; compaction goes on next cycle", id);
                    break;
                }
                RecordWriter.Sealed sealed = copy(ch, rec, loc, md5, window, lane);
                if (sealed != null) {
                    copies.add(new Copy(rec.header().blobId(), rec.header().blobOffset(), loc, sealed));
                    bytes += loc.recordLength();
                    throttle(started, bytes);
                }
            }
            crashPoints.reached(CrashPoint.COMPACT_AFTER_COPY);
            for (Copy c : copies) {
                c.to().sync();
            }
        } catch (IOException e) {
            throw EngineException.io("compacting segment " + id, e);
        }
        crashPoints.reached(CrashPoint.COMPACT_AFTER_SYNC);
        List<BlobIndex.Move> moves = new ArrayList<>(copies.size());
        for (Copy c : copies) {
            moves.add(new BlobIndex.Move(c.blobId(), c.blobOffset(), c.from(), c.to().location()));
        }
        long left = blobs.index().remap(id, moves);
        crashPoints.reached(CrashPoint.COMPACT_AFTER_REMAP);
        return new long[] {bytes, left};
    }

    /** Copies one record's body, verified, to a new place; null if its bytes fail their CRCs. */
    private RecordWriter.Sealed copy(FileChannel ch, SegmentScanner.ScannedRecord rec, BlobLocation loc, byte[] md5,
                                     ByteBuffer window, WriteLane lane) throws IOException {
        RecordWriter w = blobs.copyWriter(lane, rec.header(), md5);
        try {
            long body = loc.bodyLength();
            for (long from = 0; from < body; from += COPY_WINDOW) {
                window.clear().limit((int) Math.min(COPY_WINDOW, body - from));
                BlobReader.readVerified(ch, rec.header().blobId(), loc, from >>> RecordFormat.BLOCK_SHIFT, window);
                w.write(window);
            }
            return w.seal();
        } catch (BlobReader.CorruptRecordException e) {
            LOG.error("segment {}: live blob {} is corrupt ({}); left in place", loc.segmentId(),
                    rec.header().blobId(), e.getMessage());
            w.abandon();
            return null;
        } catch (IOException | RuntimeException e) {
            w.abandon();
            throw e;
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
