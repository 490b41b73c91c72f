package io.tessera.engine.blob;

import io.tessera.engine.EngineException;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.meta.IdSequence;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.recovery.SegmentRecovery;
import io.tessera.engine.segment.ActiveSegment;
import io.tessera.engine.segment.DiskSpace;
import io.tessera.engine.segment.RecordHeader;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentIo;
import io.tessera.engine.segment.SegmentReaders;
import io.tessera.engine.segment.WriteLane;
import io.tessera.engine.segment.WriteLanes;
import io.tessera.engine.SegmentSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Blobs: immutable byte strings in segment files, named by a blob id that never changes, located
 * through the {@link BlobIndex}. This class owns the segment side (write lanes, readers, the
 * segment catalog) and hands out writers; the index owns every row that points into segments.
 *
 * <p>Thread-safe.
 */
public final class BlobStore implements AutoCloseable {
    private final MetaStore meta;
    private final Path dir;
    private final SegmentCatalog catalog;
    private final WriteLanes lanes;
    private final SegmentReaders readers;
    private final BlobIndex index;
    private final IdSequence blobIds;
    private final SegmentRecovery.Report recovery;

    /** @param minFreeSpace bytes segment writes leave free on the disk (negative: see {@link DiskSpace#of}) */
    public BlobStore(MetaStore meta, Path segmentDir, SegmentIo io, long minFreeSpace, long segmentLimit,
                     int maxLanes, int maxLaneWaiters, LongSupplier clockMillis) {
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
        this.readers = new SegmentReaders(segmentDir);
        this.index = new BlobIndex(meta, lanes, readers);
        this.blobIds = new IdSequence(meta, "blob", 1 << 16);
    }

    /** Starts writing a new blob into {@code lane}, which the write gives back when it ends. */
    public BlobWrite newWrite(WriteLane lane, RecordKind kind, byte[] owner, int partNumber, long maxBodyLength,
                              ChecksumAlgorithm extraChecksum) {
        return new BlobWrite(lanes, lane, blobIds.next(), kind, owner, partNumber, maxBodyLength, extraChecksum);
    }

    /**
     * A writer for a compaction copy into {@code lane}: same blob id, kind, owner and part number, a new
     * place; it may use half the space kept free for metadata.
     */
    public RecordWriter copyWriter(WriteLane lane, RecordHeader header) {
        return new RecordWriter(lanes, lane, header.kind(), header.blobId(), header.owner(), header.partNumber(),
                Long.MAX_VALUE, null, true);
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
        lanes.close();
        readers.close();
    }
}
