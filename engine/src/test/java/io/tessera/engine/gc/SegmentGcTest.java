package io.tessera.engine.gc;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.Engine;
import io.tessera.engine.GcPolicy;
import io.tessera.engine.GcReport;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.EngineException;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.UploadOptions;
import io.tessera.engine.SegmentSpace;
import io.tessera.engine.FsckReport;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.testkit.TestEngines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SegmentGcTest {
    private static final int PART = 200_000;

    @TempDir
    Path dir;

    private EngineConfig config() {
        return TestEngines.config(dir).withSegmentSize(1L << 20);
    }

    /** Sealed segments hold no dead byte; only segments still being written may. */
    private static void assertNoGarbageOutsideActiveSegments(Engine e) {
        for (SegmentSpace s : e.space().values()) {
            if (!s.active()) {
                assertThat(s.deadBytes()).as("dead bytes in sealed segment %s", s.segmentId()).isZero();
            }
        }
    }

    private static void assertConsistent(Engine e) {
        FsckReport report = e.fsck(true);
        assertThat(report.problems()).isEmpty();
        assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
    }

    /** Writes garbage of every kind: late parts, re-uploads, unused parts, overwrites, deletes. */
    private Map<String, byte[]> makeGarbage(Engine e) throws Exception {
        Map<String, byte[]> expected = new HashMap<>();
        e.createBucket("b", OWNER);
        // an abort with late parts
        String aborted = e.createUpload("b", "aborted", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
        TestEngines.part(e, "b", "aborted", aborted, 1, TestEngines.bytes(1, PART));
        BodyWriter<PartInfo> late = e.beginUploadPart("b", "aborted", aborted, 2, PartOptions.DEFAULT);
        late.write(ByteBuffer.wrap(TestEngines.bytes(2, PART)));
        e.abortUpload("b", "aborted", aborted);
        assertThatThrownBy(() -> late.commit(BodyExpectations.NONE)).isInstanceOf(EngineException.class);
        late.close();
        // re-uploads of one number and a complete that leaves parts out
        String up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
        for (int i = 0; i < 3; i++) {
            TestEngines.part(e, "b", "mp", up, 1, TestEngines.bytes(10 + i, PART));
        }
        PartInfo p1 = TestEngines.part(e, "b", "mp", up, 1, TestEngines.bytes(20, PART));
        TestEngines.part(e, "b", "mp", up, 2, TestEngines.bytes(21, PART)); // left out of the list
        PartInfo p3 = TestEngines.part(e, "b", "mp", up, 3, TestEngines.bytes(22, PART / 2));
        e.completeUpload("b", "mp", up, List.of(new CompletedPart(1, p1.etag(), null),
                new CompletedPart(3, p3.etag(), null)), CompleteOptions.NONE);
        ByteArrayOutputStream mp = new ByteArrayOutputStream();
        mp.writeBytes(TestEngines.bytes(20, PART));
        mp.writeBytes(TestEngines.bytes(22, PART / 2));
        expected.put("mp", mp.toByteArray());
        // overwrites and deletes
        for (int i = 0; i < 5; i++) {
            TestEngines.put(e, "b", "over", TestEngines.bytes(30 + i, PART));
        }
        expected.put("over", TestEngines.bytes(34, PART));
        TestEngines.put(e, "b", "gone", TestEngines.bytes(40, PART));
        e.deleteObject("b", "gone");
        for (int i = 0; i < 8; i++) {
            byte[] small = TestEngines.bytes(50 + i, 5000);
            TestEngines.put(e, "b", "keep" + i, small);
            expected.put("keep" + i, small);
        }
        return expected;
    }

    @Test
    void oneCycleReclaimsEveryKindOfGarbage() throws Exception {
        try (Engine e = Engine.open(config())) {
            Map<String, byte[]> expected = makeGarbage(e);
            long deadBefore = e.space().values().stream().mapToLong(SegmentSpace::deadBytes).sum();
            assertThat(deadBefore).isGreaterThan(10L * PART);

            GcReport report = e.collectGarbage();

            assertThat(report.bytesReclaimed()).isPositive();
            assertNoGarbageOutsideActiveSegments(e);
            long deadAfter = e.space().values().stream().mapToLong(SegmentSpace::deadBytes).sum();
            assertThat(deadAfter).isZero();
            expected.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertConsistent(e);
        }
        try (Engine e = Engine.open(config())) { // and after a restart
            assertConsistent(e);
            assertThat(TestEngines.read(e, "b", "over")).isEqualTo(TestEngines.bytes(34, PART));
        }
    }

    @Test
    void aSegmentFileOutlivesCollectionWhileAReaderHoldsIt() throws Exception {
        try (Engine e = Engine.open(config())) {
            e.createBucket("b", OWNER);
            byte[] body = TestEngines.bytes(1, 700_000);
            TestEngines.put(e, "b", "k", body);
            TestEngines.put(e, "b", "garbage", TestEngines.bytes(2, 400_000));
            e.deleteObject("b", "garbage");
            long segment = e.space().keySet().iterator().next();
            Path file = SegmentFiles.path(dir.resolve("segments"), segment);
            try (ObjectContent c = e.getObject("b", "k", ReadRange.ALL); InputStream in = c.stream()) {
                e.collectGarbage(); // compacts "k" away from the segment this reader holds
                assertThat(e.space()).doesNotContainKey(segment);
                assertThat(Files.exists(file)).isTrue();
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
            assertThat(Files.exists(file)).isFalse();
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(body);
            assertConsistent(e);
        }
    }

    /** Thrown by the crash hook: the compaction stops right there, as if the process died. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(CrashPoint p) {
            super("simulated crash at " + p, null, false, false);
        }
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void compactionInterruptedAtEachPhaseLosesNothing(CrashPoint point) throws Exception {
        Map<String, byte[]> expected;
        CrashPoints crash = p -> {
            if (p == point) {
                throw new SimulatedCrash(p);
            }
        };
        try (Engine e = Engine.open(config().withCrashPoints(crash))) {
            expected = makeGarbage(e);
            assertThatThrownBy(e::collectGarbage).isInstanceOf(SimulatedCrash.class);
            expected.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertThat(e.fsck(true).problems()).isEmpty();
        }
        try (Engine e = Engine.open(config())) {
            expected.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertConsistent(e);
            e.collectGarbage();
            assertNoGarbageOutsideActiveSegments(e);
            assertThat(e.fsck(false).orphanFiles()).isEmpty();
            expected.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertConsistent(e);
        }
    }

    @Test
    void collectionRacingWritersKeepsEveryInvariant() throws Exception {
        try (Engine e = Engine.open(config().withMaxWriteLanes(8))) {
            e.createBucket("b", OWNER);
            List<Thread> writers = new ArrayList<>();
            Map<String, byte[]> last = new java.util.concurrent.ConcurrentHashMap<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                Thread w = new Thread(() -> {
                    try {
                        for (int i = 0; i < 60; i++) {
                            String key = "t" + thread + "-" + (i % 5);
                            byte[] body = TestEngines.bytes(thread * 1000L + i, 20_000 + i * 500);
                            TestEngines.put(e, "b", key, body);
                            last.put(key, body);
                            if (i % 7 == 0) {
                                e.deleteObject("b", key);
                                last.remove(key);
                            }
                        }
                    } catch (Throwable ex) {
                        failures.add(ex);
                    }
                });
                writers.add(w);
                w.start();
            }
            while (writers.stream().anyMatch(Thread::isAlive)) {
                e.collectGarbage();
            }
            for (Thread w : writers) {
                w.join();
            }
            assertThat(failures).isEmpty();
            e.collectGarbage();
            assertNoGarbageOutsideActiveSegments(e);
            last.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertConsistent(e);
            assertThat(e.gcStats().cycles()).isGreaterThan(1);
        }
    }

    @Test
    void backgroundCollectorRunsOnItsOwn() throws IOException {
        EngineConfig cfg = config().withGc(GcPolicy.every(java.time.Duration.ofMillis(20), 0.1));
        try (Engine e = Engine.open(cfg)) {
            e.createBucket("b", OWNER);
            for (int i = 0; i < 12; i++) {
                TestEngines.put(e, "b", "k", TestEngines.bytes(i, 200_000)); // fills and seals segments
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (e.gcStats().bytesReclaimed() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(e.gcStats().bytesReclaimed()).isPositive();
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(TestEngines.bytes(11, 200_000));
        }
    }
}
