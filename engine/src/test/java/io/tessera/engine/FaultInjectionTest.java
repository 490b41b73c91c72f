package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.FaultyIo;
import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lost unsynced tails and failing writes or fsyncs: the engine answers an error, keeps serving, and
 * never loses or exposes anything it did not acknowledge.
 */
class FaultInjectionTest {
    @TempDir
    Path dir;

    private EngineConfig config(FaultyIo io) {
        return TestEngines.config(dir).withSegmentSize(1L << 20).withSegmentIo(io);
    }

    private static void assertIntact(Engine e, Map<String, byte[]> acked) {
        acked.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
        assertThat(e.listObjects("b", ListObjectsQuery.all()).objects()).extracting(ObjectInfo::key)
                .containsExactlyInAnyOrderElementsOf(acked.keySet());
        assertThat(e.fsck(true).problems()).isEmpty();
        assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
    }

    @Test
    void aCrashLosesOnlyWhatWasNeverAcknowledged() throws Exception {
        FaultyIo io = new FaultyIo();
        Map<String, byte[]> acked = new LinkedHashMap<>();
        Engine e = Engine.open(config(io));
        try {
            e.createBucket("b", OWNER);
            for (int i = 0; i < 6; i++) {
                byte[] body = TestEngines.bytes(i, 150_000 + i);
                TestEngines.put(e, "b", "k" + i, body);
                acked.put("k" + i, body);
            }
            String up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            TestEngines.part(e, "b", "mp", up, 1, TestEngines.bytes(99, 5000));
            // a body still streaming when the process dies
            BodyWriter<ObjectInfo> streaming = e.beginPutObject("b", "streaming",
                    PutOptions.of(ObjectMetadata.EMPTY, OWNER));
            streaming.write(ByteBuffer.wrap(TestEngines.bytes(100, 300_000)));
            // a body complete on disk whose fsync never happens: the process dies right there
            io.crashOnNextDataSync();
            assertThatThrownBy(() -> TestEngines.put(e, "b", "unsynced", TestEngines.bytes(101, 200_000)))
                    .isInstanceOf(EngineException.class);
            assertThatThrownBy(() -> streaming.commit(BodyExpectations.NONE)).isInstanceOf(EngineException.class);
        } finally {
            e.close(); // after the "crash" nothing more reaches the files
        }
        try (Engine reopened = Engine.open(TestEngines.config(dir).withSegmentSize(1L << 20))) {
            assertIntact(reopened, acked);
            assertThat(reopened.fsck(true).problems()).isEmpty();
            assertThat(reopened.listUploads("b", ListUploadsQuery.all()).uploads()).hasSize(1);
            reopened.collectGarbage();
            assertIntact(reopened, acked);
        }
    }

    @Test
    void aFailedFsyncIsAnErrorAndTheSegmentIsNeverTrustedAgain() throws Exception {
        FaultyIo io = new FaultyIo();
        Map<String, byte[]> acked = new LinkedHashMap<>();
        try (Engine e = Engine.open(config(io))) {
            e.createBucket("b", OWNER);
            byte[] first = TestEngines.bytes(1, 50_000);
            TestEngines.put(e, "b", "first", first);
            acked.put("first", first);
            io.failNextForces(1);
            assertThatThrownBy(() -> TestEngines.put(e, "b", "lost", TestEngines.bytes(2, 50_000)))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.IO_ERROR));
            assertThatThrownBy(() -> e.headObject("b", "lost")).isInstanceOf(EngineException.class);
            // the node keeps serving: the next write goes to a fresh segment and succeeds
            byte[] next = TestEngines.bytes(3, 50_000);
            TestEngines.put(e, "b", "next", next);
            acked.put("next", next);
            assertIntact(e, acked);
        }
        try (Engine e = Engine.open(TestEngines.config(dir))) {
            assertIntact(e, acked);
        }
    }

    @Test
    void aSegmentWhoseFsyncFailedIsStillCollected() throws Exception {
        FaultyIo io = new FaultyIo();
        try (Engine e = Engine.open(config(io))) {
            e.createBucket("b", OWNER);
            TestEngines.put(e, "b", "first", TestEngines.bytes(1, 50_000));
            io.failNextForces(1);
            assertThatThrownBy(() -> TestEngines.put(e, "b", "lost", TestEngines.bytes(2, 50_000)))
                    .isInstanceOf(EngineException.class);
            byte[] next = TestEngines.bytes(3, 50_000);
            TestEngines.put(e, "b", "next", next);
            e.deleteObject("b", "first");

            e.collectGarbage();

            // the failed segment was sealed at its last durable byte, so it is collected like any other
            assertThat(e.space().values()).allSatisfy(s -> {
                assertThat(s.active()).as("segment %s still active", s.segmentId()).isFalse();
                assertThat(s.deadBytes()).as("dead bytes in segment %s", s.segmentId()).isZero();
            });
            assertThat(TestEngines.read(e, "b", "next")).isEqualTo(next);
            assertThat(e.fsck(true).problems()).isEmpty();
        }
    }

    @Test
    void aFailedWriteIsAnErrorAndChangesNothing() throws Exception {
        FaultyIo io = new FaultyIo();
        Map<String, byte[]> acked = new LinkedHashMap<>();
        try (Engine e = Engine.open(config(io))) {
            e.createBucket("b", OWNER);
            String up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            io.failNextWrites(1);
            assertThatThrownBy(() -> TestEngines.part(e, "b", "mp", up, 1, TestEngines.bytes(1, 10_000)))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.IO_ERROR));
            assertThat(e.listParts("b", "mp", up, 1000, 0).parts()).isEmpty();
            PartInfo p = TestEngines.part(e, "b", "mp", up, 1, TestEngines.bytes(2, 10_000));
            e.completeUpload("b", "mp", up, java.util.List.of(new CompletedPart(1, p.etag(), null)),
                    CompleteOptions.NONE);
            acked.put("mp", TestEngines.bytes(2, 10_000));
            assertIntact(e, acked);
        }
    }
}
