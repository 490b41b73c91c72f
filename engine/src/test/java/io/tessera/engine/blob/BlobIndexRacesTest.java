package io.tessera.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.GcPolicy;
import io.tessera.engine.VersioningState;
import io.tessera.engine.gc.CrashPoints;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.object.ObjectRows;
import io.tessera.engine.gc.CrashPoint;
import io.tessera.engine.gc.SegmentGc;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentIo;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decisions of the blob index are re-checked where they are acted on, whatever happened since. */
class BlobIndexRacesTest {
    private static final long SEGMENT_LIMIT = 64 * 1024;
    /** Larger than every body here: each is one record. */
    private static final int PIECE = 128 * 1024;

    @TempDir
    Path dir;

    @Test
    void aSegmentThatGainedACommitAfterTheScanIsNotRetired() throws Exception {
        try (MetaStore meta = MetaStore.open(dir.resolve("meta"), true);
             BlobStore store = new BlobStore(meta, dir.resolve("segments"), SegmentIo.DEFAULT, 0, SEGMENT_LIMIT, 4, 16,
                     Duration.ofSeconds(1), PIECE, System::currentTimeMillis)) {
            // a record larger than the segment limit: writing it seals its segment, still uncommitted
            BlobWrite w = store.newWrite(RecordKind.OBJECT, null, 0, -1, Long.MAX_VALUE, null);
            byte[] body = TestEngines.bytes(7, 100_000);
            w.write(ByteBuffer.wrap(body));
            BlobPieces pieces = w.persist();
            assertThat(pieces.count()).isOne();
            BlobLocation loc = pieces.piece(0);
            assertThat(store.space().get(loc.segmentId()).active()).isFalse();
            assertThat(store.space().get(loc.segmentId()).liveBytes()).isZero();

            // the cycle reads the segment as dead; then the writer commits before the cycle acts
            AtomicBoolean committed = new AtomicBoolean();
            SegmentGc gc = new SegmentGc(store, GcPolicy.MANUAL, point -> {
                if (point == CrashPoint.CYCLE_AFTER_SCAN && committed.compareAndSet(false, true)) {
                    try (MetaBatch batch = store.index().newBatch()) {
                        store.index().add(batch, w.blobId(), pieces);
                        meta.commit(batch);
                    }
                    w.close(); // the commit happened: the record is no longer pending
                }
            });
            gc.collect(false);

            assertThat(committed).isTrue();
            assertThat(Files.exists(SegmentFiles.path(store.directory(), loc.segmentId())))
                    .as("the segment of an acknowledged blob was deleted").isTrue();
            assertThat(store.space().get(loc.segmentId()).liveBytes()).isEqualTo(loc.recordLength());
            byte[] read = store.index().read(view -> {
                BlobIndex.PinnedBlob pinned = view.pin(w.blobId());
                try {
                    return readAll(pinned);
                } finally {
                    pinned.release();
                }
            });
            assertThat(read).isEqualTo(body);
        }
    }

    /** Writes a durable blob and commits it as the object {@code key} (bucket 1), replacing {@code old}. */
    private static ObjectRecord putObject(BlobStore store, ObjectRows rows, String key, ObjectRecord old, byte[] body)
            throws Exception {
        try (BlobWrite w = store.newWrite(RecordKind.OBJECT, null, 0, -1, Long.MAX_VALUE, null)) {
            w.write(ByteBuffer.wrap(body));
            BlobPieces pieces = w.persist();
            ObjectRecord row = new ObjectRecord(body.length, "etag", 0, Map.of(), "owner", null,
                    List.of(new ObjectRecord.Extent(w.blobId(), body.length, 0, "etag", null)));
            try (MetaBatch batch = store.index().newBatch()) {
                store.index().add(batch, w.blobId(), pieces);
                rows.write(batch, 1, key, VersioningState.UNVERSIONED, old, row, null);
                store.meta().commit(batch);
            }
            return row;
        }
    }

    @Test
    void aReadKeepsTheVersionItResolvedWhateverCommitsAndCollectionsRunMeanwhile() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (MetaStore meta = MetaStore.open(dir.resolve("meta"), true);
             BlobStore store = new BlobStore(meta, dir.resolve("segments"), SegmentIo.DEFAULT, 0, SEGMENT_LIMIT, 4, 16,
                     Duration.ofSeconds(1), PIECE, System::currentTimeMillis)) {
            ObjectRows rows = new ObjectRows(meta.tables(), store.index());
            SegmentGc gc = new SegmentGc(store, GcPolicy.MANUAL, CrashPoints.NONE);
            byte[] first = TestEngines.bytes(1, 40_000);
            ObjectRecord v1 = putObject(store, rows, "k", null, first);

            byte[] read = store.index().read(view -> {
                ObjectRecord row = view.tables().objects().get(1, "k");
                try {
                    // an overwrite commits (its batch drops the old blob's row), then a full collection
                    // starts: nothing this read resolved may move or go until it is done
                    other.submit(() -> putObject(store, rows, "k", v1, TestEngines.bytes(2, 1000)))
                            .get(30, TimeUnit.SECONDS);
                    Future<?> collection = other.submit(() -> gc.collect(true));
                    BlobIndex.PinnedBlob pinned = view.pin(row.extents().get(0).blobId());
                    try {
                        byte[] bytes = readAll(pinned);
                        assertThat(collection).isNotDone();
                        return bytes;
                    } finally {
                        pinned.release();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(read).isEqualTo(first);
            other.shutdown();
            assertThat(other.awaitTermination(60, TimeUnit.SECONDS)).as("the collection finished").isTrue();
            assertThat(meta.tables().blobs().get(v1.extents().get(0).blobId())).isNull();
        } finally {
            other.shutdownNow();
        }
    }

    /** A pinned blob's bytes, piece after piece, each verified. */
    private static byte[] readAll(BlobIndex.PinnedBlob pinned) {
        BlobPieces pieces = pinned.pieces();
        ByteBuffer out = ByteBuffer.allocate((int) pieces.length());
        try {
            for (int i = 0; i < pieces.count(); i++) {
                BlobLocation loc = pieces.piece(i);
                ByteBuffer buf = out.slice(out.position(), (int) loc.bodyLength());
                BlobReader.readVerified(pinned.segments().get(i).channel(), pinned.blobId(), loc, 0, buf);
                out.position(out.position() + (int) loc.bodyLength());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.array();
    }
}
