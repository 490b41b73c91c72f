package io.tessera.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.GcPolicy;
import io.tessera.engine.gc.CrashPoint;
import io.tessera.engine.gc.SegmentGc;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentIo;
import io.tessera.engine.segment.WriteLane;
import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decisions of the blob index are re-checked where they are acted on, whatever happened since. */
class BlobIndexRacesTest {
    private static final long SEGMENT_LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void aSegmentThatGainedACommitAfterTheScanIsNotRetired() throws Exception {
        try (MetaStore meta = MetaStore.open(dir.resolve("meta"), true);
             BlobStore store = new BlobStore(meta, dir.resolve("segments"), SegmentIo.DEFAULT, 0, SEGMENT_LIMIT, 4, 16,
                     System::currentTimeMillis)) {
            // a record larger than the segment limit: writing it seals its segment, still uncommitted
            WriteLane lane = store.lanes().tryAcquire();
            BlobWrite w = store.newWrite(lane, RecordKind.OBJECT, null, 0, Long.MAX_VALUE, null);
            byte[] body = TestEngines.bytes(7, 100_000);
            w.write(ByteBuffer.wrap(body));
            BlobLocation loc = w.persist();
            assertThat(store.space().get(loc.segmentId()).active()).isFalse();
            assertThat(store.space().get(loc.segmentId()).liveBytes()).isZero();

            // the cycle reads the segment as dead; then the writer commits before the cycle acts
            AtomicBoolean committed = new AtomicBoolean();
            SegmentGc gc = new SegmentGc(store, GcPolicy.MANUAL, point -> {
                if (point == CrashPoint.CYCLE_AFTER_SCAN && committed.compareAndSet(false, true)) {
                    try (MetaBatch batch = store.index().newBatch()) {
                        store.index().add(batch, w.blobId(), loc);
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
                    ByteBuffer buf = ByteBuffer.allocate((int) loc.bodyLength());
                    BlobReader.readVerified(pinned.segment().channel(), w.blobId(), pinned.location(), 0, buf);
                    return buf.array();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    pinned.segment().release();
                }
            });
            assertThat(read).isEqualTo(body);
        }
    }
}
