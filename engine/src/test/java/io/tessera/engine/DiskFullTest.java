package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.SmallDisk;
import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full disk, for real: the engine on a 48 MiB tmpfs (where mounting is refused, and once more in any
 * case, with its segments on a simulated disk of that size; see {@link SmallDisk}). Writes fail with
 * STORAGE_FULL, everything acknowledged stays readable and consistent, and writes come back without a
 * restart once space does: deletes commit in the space kept free for metadata, and RocksDB, when it ran
 * out of space itself, resumes on its own.
 */
class DiskFullTest {
    private static final long DISK = 48L << 20;
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    private static EngineConfig config(SmallDisk disk) {
        return disk.configure(TestEngines.config(disk.dataDir()).withSegmentSize(4L << 20));
    }

    private static void assertIntact(Engine e, Map<String, byte[]> acked) {
        acked.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
        acked.forEach((k, v) -> assertThat(e.headObject("b", k).size()).as(k).isEqualTo(v.length));
        assertThat(e.listObjects("b", ListObjectsQuery.all()).objects()).extracting(ObjectInfo::key)
                .containsExactlyInAnyOrderElementsOf(acked.keySet());
        FsckReport fsck = e.fsck(true);
        assertThat(fsck.problems()).isEmpty();
        assertThat(fsck.orphanFiles()).isEmpty();
        assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
    }

    private static void assertStorageFull(Throwable t) {
        assertThat(t).isInstanceOf(EngineException.class);
        assertThat(((EngineException) t).code()).as(t.toString()).isEqualTo(ErrorCode.STORAGE_FULL);
    }

    private SmallDisk disk(boolean simulated) {
        return simulated ? SmallDisk.simulated(tmp, DISK) : SmallDisk.create(tmp, DISK);
    }

    @ParameterizedTest(name = "simulated disk: {0}")
    @ValueSource(booleans = {false, true})
    void segmentsLeaveTheReserveFreeAndCollectionBringsWritesBack(boolean simulated) {
        try (SmallDisk disk = disk(simulated)) {
            Map<String, byte[]> acked = new LinkedHashMap<>();
            try (Engine e = Engine.open(config(disk))) {
                e.createBucket("b", OWNER);
                EngineException refused = null;
                for (int i = 0; i < 60 && refused == null; i++) { // 60 MiB cannot fit
                    byte[] body = TestEngines.bytes(i, MIB);
                    try {
                        TestEngines.put(e, "b", "k" + i, body);
                        acked.put("k" + i, body);
                    } catch (EngineException ex) {
                        refused = ex;
                    }
                }
                assertThat(refused).as("a PUT is refused before the disk is full").isNotNull();
                assertStorageFull(refused);
                assertThat(refused.getMessage()).contains("kept free for metadata");
                // 48 MiB less the 8 MiB reserve, RocksDB and the record framing
                assertThat(acked).as("objects stored").hasSizeGreaterThanOrEqualTo(36);
                assertThat(disk.free()).as("the reserve stays free").isGreaterThan(7L * MIB);

                // refused before any byte is read, whatever the write: a body, a part, a copy
                assertThatThrownBy(() -> e.beginPutObject("b", "more", PutOptions.of(ObjectMetadata.EMPTY, OWNER)
                        .withExpectedLength(MIB))).satisfies(DiskFullTest::assertStorageFull);
                String up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
                assertThatThrownBy(() -> TestEngines.part(e, "b", "mp", up, 1, TestEngines.bytes(99, MIB)))
                        .satisfies(DiskFullTest::assertStorageFull);
                PutOptions copy = PutOptions.of(ObjectMetadata.EMPTY, OWNER);
                assertThatThrownBy(() -> e.copyObject("b", "k0", "b", "copy", copy))
                        .satisfies(DiskFullTest::assertStorageFull);
                e.abortUpload("b", "mp", up);
                assertIntact(e, acked);

                // deletes commit in the reserve; one collection gives their space back
                List<String> keys = new ArrayList<>(acked.keySet());
                for (String k : keys.subList(3, keys.size())) {
                    e.deleteObject("b", k);
                    acked.remove(k);
                }
                GcReport gc = e.collectGarbage();
                assertThat(gc.bytesReclaimed()).isGreaterThan(20L * MIB);
                for (int i = 100; i < 120; i++) {
                    byte[] body = TestEngines.bytes(i, MIB);
                    TestEngines.put(e, "b", "k" + i, body);
                    acked.put("k" + i, body);
                }
                assertIntact(e, acked);
            }
            try (Engine reopened = Engine.open(config(disk))) {
                assertIntact(reopened, acked);
            }
        }
    }

    @ParameterizedTest(name = "simulated disk: {0}")
    @ValueSource(booleans = {false, true})
    void aDiskFilledByAnotherProgramFailsWritesNotReadsAndWritesResumeWhenItLetsGo(boolean simulated)
            throws Exception {
        try (SmallDisk disk = disk(simulated)) {
            Map<String, byte[]> acked = new LinkedHashMap<>();
            try (Engine e = Engine.open(config(disk))) {
                e.createBucket("b", OWNER);
                for (int i = 0; i < 3; i++) {
                    byte[] body = TestEngines.bytes(i, MIB);
                    TestEngines.put(e, "b", "k" + i, body);
                    acked.put("k" + i, body);
                }
                disk.fillAllBut(0);
                // the engine looked at the disk before it filled up: the write meets ENOSPC itself
                Throwable enospc = catchFailure(() -> TestEngines.put(e, "b", "late", TestEngines.bytes(50, MIB)));
                assertStorageFull(enospc);
                assertThat(enospc.getMessage()).contains("No space left on device").doesNotContain("kept free");
                // from then on writes are refused before their bodies
                assertThatThrownBy(() -> e.beginPutObject("b", "late", PutOptions.of(ObjectMetadata.EMPTY, OWNER)
                        .withExpectedLength(MIB))).satisfies(DiskFullTest::assertStorageFull);
                List<String> buckets = new ArrayList<>(List.of("b"));
                if (disk.real()) { // RocksDB's files share the disk only when it is real
                    // metadata commits go on while the WAL's last page has room, then fail
                    EngineException metaFull = null;
                    for (int i = 0; i < 2000 && metaFull == null; i++) {
                        try {
                            e.createBucket("c" + i, OWNER);
                            buckets.add("c" + i);
                        } catch (EngineException ex) {
                            metaFull = ex;
                        }
                    }
                    assertThat(metaFull).as("a metadata commit on a full disk").isNotNull();
                    assertStorageFull(metaFull);
                    // RocksDB now refuses every write until it resumed
                    assertThatThrownBy(() -> e.deleteObject("b", "k0")).satisfies(DiskFullTest::assertStorageFull);
                }
                assertIntact(e, acked);
                assertThat(e.listBuckets()).extracting(BucketInfo::name).containsExactlyInAnyOrderElementsOf(buckets);

                disk.unfill();
                // RocksDB resumes by itself once it sees room (it looks every 5 s): a bounded wait
                byte[] body = TestEngines.bytes(60, MIB);
                awaitSuccess(Duration.ofSeconds(30), () -> TestEngines.put(e, "b", "after", body));
                acked.put("after", body);
                e.createBucket("after", OWNER);
                e.deleteObject("b", "k0");
                acked.remove("k0");
                e.collectGarbage();
                assertIntact(e, acked);
            }
            try (Engine reopened = Engine.open(config(disk))) {
                assertIntact(reopened, acked);
                assertThat(reopened.listBuckets()).extracting(BucketInfo::name).contains("b", "after");
            }
        }
    }

    @ParameterizedTest(name = "simulated disk: {0}")
    @ValueSource(booleans = {false, true})
    void deletingOneObjectOfAFullDiskMakesRoomWithTheNextBackgroundCycle(boolean simulated) throws Exception {
        try (SmallDisk disk = disk(simulated)) {
            // the default 256 MiB segments: on this disk they are kept to half the reserve
            EngineConfig config = disk.configure(TestEngines.config(disk.dataDir())
                    .withSegmentSize(EngineConfig.defaults(disk.dataDir()).segmentSize())
                    .withGc(GcPolicy.every(Duration.ofMillis(200), 0.4)));
            int size = 4 * MIB;
            Map<String, byte[]> acked = new LinkedHashMap<>();
            try (Engine e = Engine.open(config)) {
                e.createBucket("b", OWNER);
                EngineException refused = null;
                for (int i = 0; i < 15 && refused == null; i++) {
                    byte[] body = TestEngines.bytes(i, size);
                    try {
                        TestEngines.put(e, "b", "k" + i, body);
                        acked.put("k" + i, body);
                    } catch (EngineException ex) {
                        refused = ex;
                    }
                }
                assertThat(refused).isNotNull();
                assertStorageFull(refused);
                String victim = acked.keySet().iterator().next();
                e.deleteObject("b", victim);
                acked.remove(victim);
                byte[] body = TestEngines.bytes(70, size);
                awaitSuccess(Duration.ofSeconds(30), () -> TestEngines.put(e, "b", "after", body));
                acked.put("after", body);
                assertIntact(e, acked);
            }
        }
    }

    private static Throwable catchFailure(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    /** Retries {@code write} while it fails with STORAGE_FULL, up to {@code bound}. */
    private static void awaitSuccess(Duration bound, Runnable write) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            try {
                write.run();
                return;
            } catch (EngineException e) {
                if (e.code() != ErrorCode.STORAGE_FULL || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // polling a condition with a bound, not synchronisation
            }
        }
    }
}
