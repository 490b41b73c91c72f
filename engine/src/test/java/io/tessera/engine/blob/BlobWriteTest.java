package io.tessera.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.SegmentIo;
import io.tessera.engine.segment.WriteLane;
import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The two writers of blobs against a pool of lanes that writers hold: who waits for a lane, and how long. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlobWriteTest {
    private static final int LANES = 2;
    private static final Duration LANE_WAIT = Duration.ofMillis(300);
    private static final int PIECE = 64 << 10;

    @TempDir
    Path dir;

    private BlobStore open(MetaStore meta) {
        return new BlobStore(meta, dir.resolve("segments"), SegmentIo.DEFAULT, 0, 1L << 20, LANES, 16, LANE_WAIT, PIECE,
                System::currentTimeMillis);
    }

    @Test
    void whileEveryLaneIsBusyASmallBodyNeedsNoneAndAPieceWaitsBoundedThenSlowDown() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (MetaStore meta = MetaStore.open(dir.resolve("meta"), true); BlobStore store = open(meta)) {
            WriteLane[] held = {store.lanes().tryAcquire(), store.lanes().tryAcquire()};
            assertThat(store.lanes().tryAcquire()).isNull();

            try (PendingBlob small = store.newBufferedWrite(RecordKind.OBJECT, null, 0, 4096, null)) {
                small.write(ByteBuffer.wrap(TestEngines.bytes(1, 4096)));
                assertThat(small.persist().length()).isEqualTo(4096);
            }

            // a large body begins and collects its first piece without a lane; its append then finds none
            BlobWrite refused = store.newWrite(RecordKind.OBJECT, null, 0, -1, Long.MAX_VALUE, null);
            refused.write(ByteBuffer.wrap(TestEngines.bytes(2, PIECE)));
            long started = System.nanoTime();
            assertThatThrownBy(() -> refused.write(ByteBuffer.wrap(new byte[1])))
                    .isInstanceOfSatisfying(EngineException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SLOW_DOWN));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            assertThat(waited).isGreaterThanOrEqualTo(LANE_WAIT).isLessThan(LANE_WAIT.plusSeconds(5));
            refused.close();

            // one that waits while a lane is released gets it
            byte[] body = TestEngines.bytes(3, 2 * PIECE + 5);
            BlobWrite w = store.newWrite(RecordKind.OBJECT, null, 0, -1, Long.MAX_VALUE, null);
            CompletableFuture<BlobPieces> persisted = CompletableFuture.supplyAsync(() -> {
                w.write(ByteBuffer.wrap(body));
                return w.persist();
            }, other);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.lanes().waitingForLanes() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // until its first append waits
            }
            assertThat(store.lanes().waitingForLanes()).isOne();
            store.lanes().release(held[0]);
            BlobPieces pieces = persisted.get(10, TimeUnit.SECONDS);
            assertThat(pieces.count()).isEqualTo(3);
            assertThat(pieces.length()).isEqualTo(body.length);
            w.close();
            store.lanes().release(held[1]);
            assertThat(store.lanes().busyLanes()).isZero();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void appendedPiecesStayPendingUntilTheWriteEndsAndTheirBuffersGoBack() throws Exception {
        try (MetaStore meta = MetaStore.open(dir.resolve("meta"), true); BlobStore store = open(meta)) {
            // abandoned mid-body: its pieces were pending, then are not
            BlobWrite abandoned = store.newWrite(RecordKind.PART, new byte[16], 1, -1, Long.MAX_VALUE, null);
            abandoned.write(ByteBuffer.wrap(TestEngines.bytes(4, 3 * PIECE + 1)));
            long segment = store.lanes().activeSegments().iterator().next().id();
            assertThat(store.lanes().hasUncommitted(segment)).isTrue();
            abandoned.close();
            assertThat(store.lanes().hasUncommitted(segment)).isFalse();

            // persisted: pending until its owner's commit ended, whatever its outcome
            BlobWrite persisted = store.newWrite(RecordKind.PART, new byte[16], 2, -1, Long.MAX_VALUE, null);
            persisted.write(ByteBuffer.wrap(TestEngines.bytes(5, 2 * PIECE)));
            BlobPieces pieces = persisted.persist();
            assertThat(pieces.count()).as("a body of exactly two pieces").isEqualTo(2);
            for (var p : pieces.pieces()) {
                assertThat(store.lanes().hasUncommitted(p.segmentId())).isTrue();
            }
            persisted.close();
            for (var p : pieces.pieces()) {
                assertThat(store.lanes().hasUncommitted(p.segmentId())).isFalse();
            }
            assertThat(store.lanes().busyLanes()).isZero();
        }
    }
}
