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
import io.tessera.engine.recovery.SegmentRecovery;
import io.tessera.engine.segment.ActiveSegment;
import io.tessera.engine.segment.Fsync;
import io.tessera.engine.segment.RecordHeader;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentHandle;
import io.tessera.engine.segment.SegmentIo;
import io.tessera.engine.segment.SegmentReaders;
import io.tessera.engine.segment.WriteLanes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
    private final SegmentRecovery.Report recovery;
    /**
     * Commands that drop blobs hold this shared while they build and commit their batch (the drop
     * subtracts from the segment where the blob is at that moment); compaction holds it exclusively
     * while it moves blobs, so a move never slips between a drop's lookup and its commit.
     */
    private final ReentrantReadWriteLock moveLock = new ReentrantReadWriteLock();

    public BlobStore(MetaStore meta, Path segmentDir, SegmentIo io, long segmentLimit, int maxLanes,
                     LongSupplier clockMillis) {
        this.meta = meta;
        this.dir = segmentDir;
        try {
            Files.createDirectories(segmentDir);
        } catch (IOException e) {
            throw EngineException.io("cannot create " + segmentDir, e);
        }
        this.catalog = new SegmentCatalog(meta, clockMillis);
        this.recovery = SegmentRecovery.run(meta, catalog, segmentDir);
        this.lanes = new WriteLanes(segmentDir, io, catalog, segmentLimit, maxLanes, clockMillis);
        this.readers = new SegmentReaders(segmentDir);
        this.blobIds = new IdSequence(meta, "blob", 1 << 16);
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

    /** A batch for a command that adds or drops blobs; closing it ends the command's hold on blob moves. */
    public MetaBatch newBatch() {
        moveLock.readLock().lock();
        return meta.newBatch(moveLock.readLock()::unlock);
    }

    /** Runs {@code work} with blob moves excluded (compaction's remap, fsck's consistent view). */
    public <T> T exclusively(java.util.function.Supplier<T> work) {
        moveLock.writeLock().lock();
        try {
            return work.get();
        } finally {
            moveLock.writeLock().unlock();
        }
    }

    public SegmentRecovery.Report recoveryReport() {
        return recovery;
    }

    public MetaStore meta() {
        return meta;
    }

    public SegmentCatalog catalog() {
        return catalog;
    }

    public Path directory() {
        return dir;
    }

    /** A writer for a compaction copy: same blob id, kind, owner and part number, a new place. */
    public RecordWriter copyWriter(RecordHeader header) {
        return new RecordWriter(lanes, header.kind(), header.blobId(), header.owner(), header.partNumber(),
                Long.MAX_VALUE, null);
    }

    /** True while a record written to the segment may still be committed (GC must wait). */
    public boolean hasUncommitted(long segmentId) {
        return lanes.hasUncommitted(segmentId);
    }

    /** Seals the idle active segments so that a full collection can reach their garbage. */
    public void sealIdleSegments() {
        lanes.sealIdle();
    }

    /**
     * Forgets a segment that holds no live blob: its row goes first (durably), and its file is
     * deleted once no reader holds it. A crash in between leaves an orphan file for recovery.
     */
    public void retireSegment(long segmentId) {
        catalog.remove(segmentId);
        retireFile(segmentId);
    }

    /** Deletes a segment's file once its readers are gone; its row must already be removed. */
    public void retireFile(long segmentId) {
        readers.retire(segmentId, () -> {
            try {
                Files.deleteIfExists(SegmentFiles.path(dir, segmentId));
                Fsync.directory(dir);
            } catch (IOException e) {
                // an orphan file is deleted by the next recovery
            }
        });
    }

    /**
     * Locates a blob and pins its segment. If compaction moved the blob and deleted the old file
     * between the lookup and the open, the lookup is repeated once.
     */
    public PinnedBlob pin(long blobId) {
        for (int attempt = 0; ; attempt++) {
            BlobLocation loc = locate(blobId);
            try {
                return new PinnedBlob(blobId, loc, readers.acquire(loc.segmentId()));
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt > 0) {
                    throw EngineException.io("segment " + loc.segmentId() + " of blob " + blobId + " is gone", e);
                }
            } catch (IOException e) {
                throw EngineException.io("cannot open segment " + loc.segmentId(), e);
            }
        }
    }

    /** A blob's location with its segment held open; release the handle when done. */
    public record PinnedBlob(long blobId, BlobLocation location, SegmentHandle segment) {
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
