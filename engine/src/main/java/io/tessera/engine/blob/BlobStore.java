package io.tessera.engine.blob;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.checksum.ChecksumAlgorithm;
import io.tessera.engine.meta.BlobCodec;
import io.tessera.engine.meta.ColumnFamily;
import io.tessera.engine.meta.Keys;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.segment.ActiveSegment;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentHandle;
import io.tessera.engine.segment.SegmentReaders;
import io.tessera.engine.segment.WriteLanes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Blobs: immutable byte strings in segment files, named by a blob id that never changes, located
 * through the {@code blobs} index. This class brings the segment files and the metadata store
 * together and keeps the one accounting rule: a segment's live bytes are the record lengths of the
 * blobs that have a row, changed in the same batch that adds or drops the row.
 *
 * <p>Thread-safe.
 */
public final class BlobStore implements AutoCloseable {
    private final MetaStore meta;
    private final Path dir;
    private final SegmentCatalog catalog;
    private final WriteLanes lanes;
    private final SegmentReaders readers;
    private final IdSequence blobIds;

    public BlobStore(MetaStore meta, Path segmentDir, long segmentLimit, int maxLanes, LongSupplier clockMillis) {
        this.meta = meta;
        this.dir = segmentDir;
        try {
            Files.createDirectories(segmentDir);
        } catch (IOException e) {
            throw EngineException.io("cannot create " + segmentDir, e);
        }
        this.catalog = new SegmentCatalog(meta, clockMillis);
        sealLeftoverActiveSegments();
        this.lanes = new WriteLanes(segmentDir, catalog, segmentLimit, maxLanes, clockMillis);
        this.readers = new SegmentReaders(segmentDir);
        this.blobIds = new IdSequence(meta, "blob", 1 << 16);
    }

    /** Segments left ACTIVE by a crash never take appends again: seal them at their file length. */
    private void sealLeftoverActiveSegments() {
        for (Map.Entry<Long, SegmentRecord> e : catalog.all().entrySet()) {
            if (e.getValue().state() != SegmentRecord.SegmentState.ACTIVE) {
                continue;
            }
            Path p = SegmentFiles.path(dir, e.getKey());
            try {
                if (Files.exists(p)) {
                    catalog.sealed(e.getKey(), Files.size(p));
                } else {
                    try (MetaBatch b = meta.newBatch()) {
                        b.delete(ColumnFamily.SEGMENTS, Keys.u64(e.getKey()));
                        meta.commit(b);
                    }
                }
            } catch (IOException ex) {
                throw EngineException.io("cannot inspect segment " + p, ex);
            }
        }
    }

    /** Starts writing a new blob. */
    public BlobWrite newWrite(RecordKind kind, byte[] owner, int partNumber, long maxBodyLength,
                              ChecksumAlgorithm extraChecksum) {
        return new BlobWrite(this, blobIds.next(), kind, owner, partNumber, maxBodyLength, extraChecksum);
    }

    RecordWriter recordWriter(long blobId, RecordKind kind, byte[] owner, int partNumber, long maxBodyLength,
                              java.util.function.Consumer<java.nio.ByteBuffer> extra) {
        return new RecordWriter(lanes, kind, blobId, owner, partNumber, maxBodyLength, extra);
    }

    /** Adds the row of a durable blob and counts its record as live. */
    public void addBlob(MetaBatch batch, long blobId, BlobLocation loc) {
        batch.put(ColumnFamily.BLOBS, Keys.u64(blobId), BlobCodec.encode(loc));
        batch.addLiveBytes(loc.segmentId(), loc.recordLength());
    }

    /** Drops a blob's row and counts its record as dead. */
    public void dropBlob(MetaBatch batch, long blobId) {
        BlobLocation loc = locate(blobId);
        batch.delete(ColumnFamily.BLOBS, Keys.u64(blobId));
        batch.addLiveBytes(loc.segmentId(), -loc.recordLength());
    }

    public BlobLocation locate(long blobId) {
        byte[] v = meta.get(ColumnFamily.BLOBS, Keys.u64(blobId));
        if (v == null) {
            throw new EngineException(ErrorCode.CORRUPTION, "blob " + blobId + " is referenced but has no location");
        }
        return BlobCodec.decode(v);
    }

    /** A counted read handle on a segment; release it when done. */
    public SegmentHandle openSegment(long segmentId) {
        try {
            return readers.acquire(segmentId);
        } catch (IOException e) {
            throw EngineException.io("cannot open segment " + segmentId, e);
        }
    }

    /** Size, live bytes and state of every segment, for observability and tests. */
    public Map<Long, SegmentSpace> space() {
        Map<Long, SegmentSpace> out = new TreeMap<>();
        Map<Long, Long> activeEnds = new TreeMap<>();
        for (ActiveSegment a : lanes.activeSegments()) {
            activeEnds.put(a.id(), a.end());
        }
        for (Map.Entry<Long, SegmentRecord> e : catalog.all().entrySet()) {
            long id = e.getKey();
            boolean active = e.getValue().state() == SegmentRecord.SegmentState.ACTIVE;
            long size = active ? activeEnds.getOrDefault(id, (long) SegmentFiles.FILE_HEADER_SIZE) : e.getValue().size();
            out.put(id, new SegmentSpace(id, active, size, meta.liveBytes(id)));
        }
        return out;
    }

    @Override
    public void close() {
        lanes.close();
        readers.close();
    }
}
