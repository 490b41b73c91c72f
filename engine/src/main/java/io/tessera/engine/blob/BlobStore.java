package io.tessera.engine.blob;

import io.tessera.engine.EngineException;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.PieceDigests;
import io.tessera.engine.meta.IdSequence;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.recovery.SegmentRecovery;
import io.tessera.engine.segment.ActiveSegment;
import io.tessera.engine.segment.DiskSpace;
import io.tessera.engine.segment.LaneAppender;
import io.tessera.engine.segment.PieceBuffers;
import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.segment.RecordHeader;
import io.tessera.engine.segment.RecordImage;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentIo;
import io.tessera.engine.segment.SegmentReaders;
import io.tessera.engine.segment.SharedSegment;
import io.tessera.engine.segment.WriteLane;
import io.tessera.engine.segment.WriteLanes;
import io.tessera.engine.SegmentSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Blobs: immutable byte strings in segment files, named by a blob id that never changes, located
 * through the {@link BlobIndex}. A blob is one record, or for a large body an ordered list of records
 * (its pieces), possibly in several segments. This class owns the segment side (write lanes, the piece
 * buffers, the segment small bodies share, readers, the segment catalog) and hands out writers; the index
 * owns every row that points into segments.
 *
 * <p>Thread-safe.
 */
public final class BlobStore implements AutoCloseable {
    /**
     * Memory that small bodies being collected may hold at once; past it a small write is refused with
     * SLOW_DOWN. The node admits far fewer bodies than this holds; it bounds direct engine callers.
     */
    public static final long BUFFERED_BODY_MEMORY = 64L << 20;
    /**
     * Memory that the piece buffers of large bodies may hold at once (at least {@link #MIN_PIECE_BUFFERS} of
     * them); past it a large write is refused with SLOW_DOWN. The node admits bodies by the memory they hold
     * (piece buffers included), well within this; it bounds direct engine callers.
     */
    public static final long PIECE_MEMORY = 1L << 30;
    static final int MIN_PIECE_BUFFERS = 16;
    /** Memory of piece buffers kept for reuse while no body uses them. */
    static final long IDLE_PIECE_MEMORY = 64L << 20;

    private final MetaStore meta;
    private final Path dir;
    private final SegmentCatalog catalog;
    private final WriteLanes lanes;
    private final LaneAppender appender;
    private final PieceBuffers pieceBuffers;
    private final SharedSegment shared;
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final SegmentReaders readers;
    private final BlobIndex index;
    private final IdSequence blobIds;
    private final SegmentRecovery.Report recovery;

    /**
     * @param minFreeSpace   bytes segment writes leave free on the disk (negative: see {@link DiskSpace#of})
     * @param maxLanes       write lanes: records appended at once
     * @param maxLaneWaiters appends that may wait for a lane at once
     * @param laneWait       how long an append may wait for a lane
     * @param pieceSize      the body bytes of one piece of a large body
     */
    public BlobStore(MetaStore meta, Path segmentDir, SegmentIo io, long minFreeSpace, long segmentLimit,
                     int maxLanes, int maxLaneWaiters, Duration laneWait, int pieceSize, LongSupplier clockMillis) {
        this(meta, segmentDir, io, minFreeSpace, segmentLimit, maxLanes, maxLaneWaiters, laneWait, pieceSize,
                clockMillis, 1);
    }

    /** As above, handing out blob ids from {@code blobIdFloor} up (see {@link IdSequence#nodeFloor}). */
    public BlobStore(MetaStore meta, Path segmentDir, SegmentIo io, long minFreeSpace, long segmentLimit,
                     int maxLanes, int maxLaneWaiters, Duration laneWait, int pieceSize, LongSupplier clockMillis,
                     long blobIdFloor) {
        this.meta = meta;
        this.dir = segmentDir;
        try {
            Files.createDirectories(segmentDir);
        } catch (IOException e) {
            throw EngineException.io("cannot create " + segmentDir, e);
        }
        this.catalog = new SegmentCatalog(meta, clockMillis);
        this.recovery = SegmentRecovery.run(meta, catalog, segmentDir);
        DiskSpace space = DiskSpace.of(segmentDir, minFreeSpace, segmentLimit, io);
        this.lanes = new WriteLanes(segmentDir, io, space, catalog, space.segmentLimit(segmentLimit), maxLanes,
                maxLaneWaiters, clockMillis);
        this.appender = new LaneAppender(lanes, laneWait);
        long pieceBytes = RecordFormat.recordLength(pieceSize);
        this.pieceBuffers = new PieceBuffers(pieceSize, Math.max(PIECE_MEMORY, MIN_PIECE_BUFFERS * pieceBytes),
                (int) Math.max(2, IDLE_PIECE_MEMORY / pieceBytes));
        this.shared = new SharedSegment(lanes, space.segmentLimit(segmentLimit));
        this.readers = new SegmentReaders(segmentDir);
        this.index = new BlobIndex(meta, lanes, readers, clockMillis);
        this.blobIds = new IdSequence(meta, "blob", 1 << 16, blobIdFloor);
    }

    /**
     * Starts writing a new blob of a large body (or one of unknown length, -1): collected in a piece buffer
     * (one of its own length when announced shorter than half a piece) and appended piece by piece, each
     * through a write lane held only for its append. SLOW_DOWN, before any byte is read, when the bodies being
     * written hold all the piece memory the engine allows.
     */
    public BlobWrite newWrite(RecordKind kind, byte[] owner, int partNumber, long announcedLength, long maxBodyLength,
                              ChecksumAlgorithm extraChecksum) {
        return newWrite(blobIds.next(), kind, owner, partNumber, announcedLength, maxBodyLength, extraChecksum);
    }

    /** As {@link #newWrite(RecordKind, byte[], int, long, long, ChecksumAlgorithm)}, of a blob whose id another node chose. */
    public BlobWrite newWrite(long blobId, RecordKind kind, byte[] owner, int partNumber, long announcedLength,
                              long maxBodyLength, ChecksumAlgorithm extraChecksum) {
        RecordImage buffer = takePieceBuffer(announcedLength);
        return new BlobWrite(appender, pieceBuffers, buffer, blobId, kind, owner, partNumber, announcedLength,
                maxBodyLength, extraChecksum, null);
    }

    /**
     * A blob another member sent, of exactly {@code length} bytes: when {@code digests} cut it where this
     * store cuts its pieces, the write takes their trailer MD5s instead of hashing the bytes again (the
     * transport checks the bytes end to end); otherwise it hashes them as any write.
     */
    public BlobWrite newReplicaWrite(long blobId, RecordKind kind, byte[] owner, int partNumber, long length,
                                     PieceDigests digests) {
        RecordImage buffer = takePieceBuffer(length);
        boolean sameCuts = digests != null && digests.length() == length && digests.cutEvery(pieceSize());
        return new BlobWrite(appender, pieceBuffers, buffer, blobId, kind, owner, partNumber, length, length, null,
                sameCuts ? digests : null);
    }

    /** A piece buffer for a body of {@code length} bytes (-1: unknown); SLOW_DOWN when they are all in use. */
    private RecordImage takePieceBuffer(long length) {
        RecordImage buffer = pieceBuffers.take(length);
        if (buffer == null) {
            throw new EngineException(ErrorCode.SLOW_DOWN, "bodies being written hold "
                    + (pieceBuffers.inUse() >> 20) + " MiB of piece buffers already");
        }
        return buffer;
    }

    /** The body bytes of one piece of a large body: what such a body holds in memory while it is written. */
    public int pieceSize() {
        return pieceBuffers.pieceSize();
    }

    /**
     * Starts a small blob of exactly {@code length} announced bytes: collected in memory, then appended to
     * the shared segment (group commit). SLOW_DOWN when small bodies already hold
     * {@link #BUFFERED_BODY_MEMORY}.
     */
    public PendingBlob newBufferedWrite(RecordKind kind, byte[] owner, int partNumber, long length,
                                        ChecksumAlgorithm extraChecksum) {
        return newBufferedWrite(blobIds.next(), kind, owner, partNumber, length, extraChecksum);
    }

    /** As {@link #newBufferedWrite(RecordKind, byte[], int, long, ChecksumAlgorithm)}, of a blob whose id another node chose. */
    public PendingBlob newBufferedWrite(long blobId, RecordKind kind, byte[] owner, int partNumber, long length,
                                        ChecksumAlgorithm extraChecksum) {
        long need = RecordFormat.recordLength(length);
        long held;
        do {
            held = bufferedBytes.get();
            if (held + need > BUFFERED_BODY_MEMORY) {
                throw new EngineException(ErrorCode.SLOW_DOWN, "small bodies being written hold "
                        + (held >> 20) + " MiB of memory already");
            }
        } while (!bufferedBytes.compareAndSet(held, held + need));
        return new BufferedBlobWrite(shared, lanes.space(), blobId, kind, owner, partNumber,
                Math.toIntExact(length), extraChecksum, () -> bufferedBytes.addAndGet(-need));
    }

    /**
     * A writer for a compaction copy into {@code lane}: the same header (blob id and piece, kind, owner, part
     * number) and trailer MD5, a new place; it may use half the space kept free for metadata.
     */
    public RecordWriter copyWriter(WriteLane lane, RecordHeader header, byte[] md5) {
        return new RecordWriter(lanes, lane, header, md5, true);
    }

    public BlobIndex index() {
        return index;
    }

    public WriteLanes lanes() {
        return lanes;
    }

    public SegmentRecovery.Report recoveryReport() {
        return recovery;
    }

    public MetaStore meta() {
        return meta;
    }

    public Path directory() {
        return dir;
    }

    /** Seals segments of idle lanes that took no append for {@code idleFor}, so collection can reach them. */
    public void sealIdleSegments(Duration idleFor) {
        lanes.retryPendingRows();
        lanes.sealIdle(idleFor);
        shared.sealIdle(idleFor);
    }

    /** Size, live bytes and state of every segment, for observability and tests. */
    public Map<Long, SegmentSpace> space() {
        Map<Long, SegmentSpace> out = new TreeMap<>();
        Map<Long, Long> activeEnds = new TreeMap<>();
        for (ActiveSegment a : lanes.activeSegments()) {
            activeEnds.put(a.id(), a.end());
        }
        var blobs = meta.tables().blobs();
        for (Map.Entry<Long, SegmentRecord> e : catalog.all().entrySet()) {
            long id = e.getKey();
            boolean active = e.getValue().state() == SegmentRecord.SegmentState.ACTIVE;
            long size = active ? activeEnds.getOrDefault(id, (long) SegmentFiles.FILE_HEADER_SIZE) : e.getValue().size();
            out.put(id, new SegmentSpace(id, active, size, blobs.liveBytes(id)));
        }
        return out;
    }

    @Override
    public void close() {
        shared.close();
        lanes.close();
        readers.close();
    }
}
