package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.segment.ActiveSegment;
import io.tessera.engine.testkit.FaultyIo;
import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long body is written back to disk while it still streams in (its pieces are flushed in the
 * background as they are appended), before anything is committed, and a background flush that fails
 * fails the body it was flushing: it is never acknowledged.
 */
class WritebackTest {
    private static final int CHUNK = 256 << 10;
    private static final int BODY = 6 << 20;

    @TempDir
    Path dir;

    @Test
    void aLongBodyIsFlushedWhileItStreamsAndReadsBackAfterARestart() throws Exception {
        byte[] body = TestEngines.bytes(7, BODY);
        try (Engine e = Engine.open(TestEngines.config(dir).withSegmentSize(64L << 20))) {
            e.createBucket("b", OWNER);
            long syncsBefore = ActiveSegment.SYNCS.count();
            try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", "big",
                    PutOptions.of(ObjectMetadata.EMPTY, OWNER).withExpectedLength(body.length))) {
                for (int off = 0; off < BODY; off += CHUNK) {
                    w.write(ByteBuffer.wrap(body, off, CHUNK));
                }
                // nothing is committed yet, and still the segment was flushed in the background
                awaitTrue(() -> ActiveSegment.SYNCS.count() > syncsBefore);
                w.commit(BodyExpectations.NONE);
            }
            assertThat(TestEngines.read(e, "b", "big")).isEqualTo(body);
        }
        try (Engine e = Engine.open(TestEngines.config(dir))) {
            assertThat(TestEngines.read(e, "b", "big")).isEqualTo(body);
            assertThat(e.fsck(true).problems()).isEmpty();
        }
    }

    @Test
    void aFailedBackgroundFlushFailsTheBodyAndTheNodeKeepsServing() throws Exception {
        FaultyIo io = new FaultyIo();
        byte[] body = TestEngines.bytes(8, BODY);
        try (Engine e = Engine.open(TestEngines.config(dir).withSegmentSize(64L << 20).withSegmentIo(io)
                .withPieceSize(1 << 20))) {
            e.createBucket("b", OWNER);
            BodyWriter<ObjectInfo> w = e.beginPutObject("b", "lost",
                    PutOptions.of(ObjectMetadata.EMPTY, OWNER).withExpectedLength(body.length));
            long syncsBefore = ActiveSegment.SYNCS.count();
            int firstPiece = (1 << 20) + CHUNK; // its append creates the segment (and syncs its header)
            w.write(ByteBuffer.wrap(body, 0, firstPiece));
            awaitTrue(() -> ActiveSegment.SYNCS.count() > syncsBefore); // its flush is over
            io.failNextForces(1); // taken by the flush after one of the next pieces
            for (int off = firstPiece; off < BODY; off += CHUNK) {
                w.write(ByteBuffer.wrap(body, off, CHUNK));
            }
            awaitTrue(() -> io.pendingForceFailures() == 0); // the background flush took the failure
            assertThatThrownBy(() -> w.commit(BodyExpectations.NONE))
                    .isInstanceOfSatisfying(EngineException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.IO_ERROR));
            w.close();
            assertThatThrownBy(() -> e.headObject("b", "lost")).isInstanceOf(EngineException.class);

            byte[] next = TestEngines.bytes(9, BODY);
            TestEngines.put(e, "b", "next", next);
            assertThat(TestEngines.read(e, "b", "next")).isEqualTo(next);
            assertThat(e.fsck(true).problems()).isEmpty();
        }
    }

    /** A bounded wait for something a background thread does; fails the test after 10 s. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
