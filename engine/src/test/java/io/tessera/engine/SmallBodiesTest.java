package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static io.tessera.engine.testkit.TestEngines.sized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.segment.ActiveSegment;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.testkit.FaultyIo;
import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small bodies of announced length: no write lane, their records appended to the segment they share,
 * one fdatasync for every record appended before it, and every durability and space rule of the lane
 * path kept.
 */
class SmallBodiesTest {
    private static final int LIMIT = (int) EngineConfig.DEFAULT_SMALL_BODY_LIMIT;

    @TempDir
    Path dir;

    private static void assertConsistent(Engine e) {
        assertThat(e.fsck(true).problems()).isEmpty();
        assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
    }

    private static long deadBytes(Engine e) {
        return e.space().values().stream().mapToLong(SegmentSpace::deadBytes).sum();
    }

    @Test
    void concurrentSmallPutsShareFsyncsAndAllReadBackAfterARestart() throws Exception {
        int threads = 8;
        int perThread = 60;
        Map<String, byte[]> acked = new ConcurrentHashMap<>();
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            long segmentSyncs = ActiveSegment.SYNCS.count();
            long walSyncs = e.stats().metadataSyncs();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int size = switch (i % 5) {
                            case 0 -> 0;
                            case 1 -> LIMIT;
                            default -> 1 + (thread * 7919 + i * 104_729) % LIMIT;
                        };
                        byte[] body = TestEngines.bytes(thread * 1000L + i, size);
                        String key = "t" + thread + "/k" + i;
                        ObjectInfo info = TestEngines.put(e, "b", key, body);
                        assertThat(info.size()).isEqualTo(size);
                        acked.put(key, body);
                    }
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            pool.shutdown();
            int puts = threads * perThread;
            long segmentFsyncs = ActiveSegment.SYNCS.count() - segmentSyncs;
            long walFsyncs = e.stats().metadataSyncs() - walSyncs;
            System.out.printf("%d small PUTs on %d threads: %d segment fdatasyncs, %d WAL fsyncs%n", puts, threads,
                    segmentFsyncs, walFsyncs);
            assertThat(segmentFsyncs).as("segment fdatasyncs for %d concurrent small PUTs", puts).isLessThan(puts);
            assertThat(walFsyncs).as("WAL fsyncs for %d concurrent small PUTs", puts).isLessThan(puts);
            assertThat(e.busyWriteLanes()).isZero();
            assertConsistent(e);
        }
        try (Engine e = TestEngines.open(dir)) {
            assertThat(acked).hasSize(threads * perThread);
            acked.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertConsistent(e);
        }
    }

    @Test
    void aSmallBodyInPiecesGetsItsDigestsAndReadsBackInRanges() throws Exception {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            byte[] body = TestEngines.bytes(7, 50_000);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(body);
            String crc32c = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4)
                    .putInt((int) crc.getValue()).array());
            ObjectInfo info;
            try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", "k",
                    sized(body.length).withChecksum(ChecksumAlgorithm.CRC32C))) {
                for (int pos = 0, n = 1; pos < body.length; pos += n, n = n * 3 + 1) {
                    w.write(ByteBuffer.wrap(body, pos, Math.min(n, body.length - pos)));
                }
                info = w.commit(new BodyExpectations(MessageDigest.getInstance("MD5").digest(body),
                        new ChecksumValue(ChecksumAlgorithm.CRC32C, crc32c)));
            }
            StringBuilder md5 = new StringBuilder();
            for (byte x : MessageDigest.getInstance("MD5").digest(body)) {
                md5.append(String.format("%02x", x));
            }
            assertThat(info.etag()).isEqualTo("\"" + md5 + "\"");
            assertThat(info.checksum().base64()).isEqualTo(crc32c);
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(body);
            assertThat(TestEngines.read(e, "b", "k", new ReadRange.Bytes(1000, 1999)))
                    .isEqualTo(java.util.Arrays.copyOfRange(body, 1000, 2000));
            assertConsistent(e);
        }
    }

    @Test
    void aSmallBodyThatFailsItsChecksLeavesNothing() throws Exception {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            byte[] kept = TestEngines.bytes(1, 4096);
            TestEngines.put(e, "b", "kept", kept);
            byte[] body = TestEngines.bytes(2, 4096);
            byte[] wrongMd5 = MessageDigest.getInstance("MD5").digest(kept);
            assertRefused(e, "md5", sized(body.length), body, new BodyExpectations(wrongMd5, null),
                    ErrorCode.BAD_DIGEST);
            ChecksumValue wrongCrc = new ChecksumValue(ChecksumAlgorithm.CRC32,
                    Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4}));
            assertRefused(e, "crc", sized(body.length).withChecksum(ChecksumAlgorithm.CRC32), body,
                    new BodyExpectations(null, wrongCrc), ErrorCode.BAD_DIGEST);
            assertRefused(e, "short", sized(body.length + 1), body, BodyExpectations.NONE, ErrorCode.INCOMPLETE_BODY);
            try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", "long", sized(body.length - 1))) {
                assertThatThrownBy(() -> w.write(ByteBuffer.wrap(body)))
                        .isInstanceOfSatisfying(EngineException.class,
                                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
            }
            // a body whose key condition fails after it was made durable: its record is garbage
            assertThatThrownBy(() -> {
                try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", "kept",
                        sized(body.length).withPrecondition(Precondition.ifAbsent()))) {
                    w.write(ByteBuffer.wrap(body));
                    w.commit(BodyExpectations.NONE);
                }
            }).isInstanceOfSatisfying(EngineException.class,
                    ex -> assertThat(ex.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED));

            for (String k : List.of("md5", "crc", "short", "long")) {
                assertThatThrownBy(() -> e.headObject("b", k)).isInstanceOfSatisfying(EngineException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_KEY));
            }
            assertThat(e.listObjects("b", ListObjectsQuery.all()).objects()).extracting(ObjectInfo::key)
                    .containsExactly("kept");
            assertThat(deadBytes(e)).as("only the refused conditional write reached a segment")
                    .isEqualTo(io.tessera.engine.segment.RecordFormat.recordLength(body.length));
            e.collectGarbage();
            assertThat(deadBytes(e)).isZero();
            assertThat(TestEngines.read(e, "b", "kept")).isEqualTo(kept);
            assertConsistent(e);
            // the memory the refused bodies held came back: a body at the limit still fits many times over
            for (int i = 0; i < 3; i++) {
                TestEngines.put(e, "b", "after" + i, TestEngines.bytes(10 + i, LIMIT));
            }
            assertConsistent(e);
        }
    }

    private static void assertRefused(Engine e, String key, PutOptions options, byte[] body, BodyExpectations exp,
                                      ErrorCode code) {
        assertThatThrownBy(() -> {
            try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", key, options)) {
                w.write(ByteBuffer.wrap(body));
                w.commit(exp);
            }
        }).as(key).isInstanceOfSatisfying(EngineException.class, ex -> assertThat(ex.code()).isEqualTo(code));
    }

    /**
     * Small puts, on an engine I/O thread, through a copy and directly, go on while large uploads stall
     * half-way; neither kind holds a lane while it waits for its client. (That a small body needs no lane
     * even when every lane is busy is {@code BlobWriteTest}'s.)
     */
    @Test
    void smallPutsSucceedWhileUploadsStall() throws Exception {
        EngineConfig config = TestEngines.config(dir).withMaxWriteLanes(2).withLaneWait(Duration.ofMillis(300))
                .withPieceSize(64 << 10);
        try (Engine e = Engine.open(config); AsyncEngine async = new AsyncEngine(e, 2)) {
            e.createBucket("b", OWNER);
            List<BodyWriter<ObjectInfo>> stalled = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String key = "big" + i;
                BodyWriter<ObjectInfo> w = async.call(en -> en.beginPutObject("b", key, sized(10L << 20)))
                        .get(10, TimeUnit.SECONDS);
                w.write(ByteBuffer.wrap(new byte[100_000]));
                stalled.add(w);
            }
            assertThat(e.busyWriteLanes()).isZero();

            byte[] small = TestEngines.bytes(3, 4096);
            ObjectInfo onIoThread = async.call(en -> TestEngines.put(en, "b", "small-io", small))
                    .get(10, TimeUnit.SECONDS);
            assertThat(onIoThread.size()).isEqualTo(small.length);
            ObjectInfo copied = e.copyObject("b", "small-io", "b", "small-copy", sized(-1));
            assertThat(copied.size()).isEqualTo(small.length);
            long started = System.nanoTime();
            TestEngines.put(e, "b", "small-direct", small);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for a lane")
                    .isLessThan(config.laneWait());

            stalled.forEach(BodyWriter::close);
            assertThat(e.busyWriteLanes()).isZero();
            for (String k : List.of("small-io", "small-copy", "small-direct")) {
                assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(small);
            }
            e.collectGarbage();
            assertConsistent(e);
        }
    }

    /**
     * A small write whose record is durable but whose metadata commit has not happened yet keeps its
     * segment from collection, even once the segment is sealed and counts no live byte.
     */
    @Test
    void collectionLeavesARecordAloneUntilItsCommit() throws Exception {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            TestEngines.put(e, "b", "k", TestEngines.bytes(1, 4096));
            e.collectGarbage(); // seals the shared segment: the next record goes to a new one
            long before = e.space().keySet().stream().mapToLong(Long::longValue).max().orElseThrow();

            AutoCloseable held = e.holdCommands(); // as a slow commit of the write before it would
            byte[] body = TestEngines.bytes(2, 4096);
            CompletableFuture<ObjectInfo> put = CompletableFuture.supplyAsync(() -> TestEngines.put(e, "b", "k", body));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            SegmentSpace pending = null;
            while (pending == null && System.nanoTime() < deadline) {
                pending = e.space().values().stream()
                        .filter(s -> s.segmentId() > before && s.size() > SegmentFiles.FILE_HEADER_SIZE)
                        .findFirst().orElse(null);
                Thread.onSpinWait();
            }
            assertThat(pending).as("the record of the waiting write").isNotNull();
            assertThat(pending.liveBytes()).isZero();

            e.collectGarbage(); // seals that segment; it counts no live byte, but a commit is pending
            long segment = pending.segmentId();
            assertThat(e.space()).containsKey(segment);
            assertThat(e.space().get(segment).active()).isFalse();

            held.close();
            assertThat(put.get(10, TimeUnit.SECONDS).size()).isEqualTo(body.length);
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(body);
            assertThat(e.space().get(segment).liveBytes()).isPositive();
            e.collectGarbage();
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(body);
            assertConsistent(e);
        }
    }

    @Test
    void theSharedSegmentRollsOverAtTheSizeLimitAndIsCollected() throws Exception {
        EngineConfig config = TestEngines.config(dir).withSegmentSize(1L << 20);
        Map<String, byte[]> acked = new ConcurrentHashMap<>();
        try (Engine e = Engine.open(config)) {
            e.createBucket("b", OWNER);
            for (int i = 0; i < 60; i++) { // ~3.6 MiB: at least three segments
                byte[] body = TestEngines.bytes(i, LIMIT - i);
                TestEngines.put(e, "b", "k" + i, body);
                acked.put("k" + i, body);
            }
            assertThat(e.space().values().stream().filter(s -> !s.active()).count()).isGreaterThanOrEqualTo(3);
            assertThat(e.space().values()).allSatisfy(s -> assertThat(s.size()).isLessThan((1L << 20) + LIMIT + 4096));
            // the active one is ahead of its records with written zeros (fdatasyncs then need no inode
            // write); sealing cut them off
            for (SegmentSpace s : e.space().values()) {
                long file = java.nio.file.Files.size(SegmentFiles.path(dir.resolve("segments"), s.segmentId()));
                if (s.active()) {
                    assertThat(file).as("active segment %d", s.segmentId()).isGreaterThan(s.size());
                } else {
                    assertThat(file).as("sealed segment %d", s.segmentId()).isEqualTo(s.size());
                }
            }
            for (int i = 0; i < 60; i += 2) {
                e.deleteObject("b", "k" + i);
                acked.remove("k" + i);
            }
            e.collectGarbage();
            assertThat(deadBytes(e)).isZero();
            acked.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertConsistent(e);
        }
        try (Engine e = Engine.open(config)) {
            acked.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertConsistent(e);
        }
    }

    @Test
    void aFailedAppendOrFsyncOfTheSharedSegmentIsAnErrorAndTheNextSmallPutSucceeds() throws Exception {
        FaultyIo io = new FaultyIo();
        Map<String, byte[]> acked = new ConcurrentHashMap<>();
        try (Engine e = Engine.open(TestEngines.config(dir).withSegmentIo(io))) {
            e.createBucket("b", OWNER);
            byte[] first = TestEngines.bytes(1, 5000);
            TestEngines.put(e, "b", "first", first);
            acked.put("first", first);

            io.failNextWrites(1);
            assertThatThrownBy(() -> TestEngines.put(e, "b", "unwritten", TestEngines.bytes(2, 5000)))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.IO_ERROR));
            byte[] second = TestEngines.bytes(3, 5000);
            TestEngines.put(e, "b", "second", second);
            acked.put("second", second);

            io.failNextForces(1);
            assertThatThrownBy(() -> TestEngines.put(e, "b", "unsynced", TestEngines.bytes(4, 5000)))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.IO_ERROR));
            byte[] third = TestEngines.bytes(5, 5000);
            TestEngines.put(e, "b", "third", third);
            acked.put("third", third);

            for (String k : List.of("unwritten", "unsynced")) {
                assertThatThrownBy(() -> e.headObject("b", k)).isInstanceOf(EngineException.class);
            }
            acked.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            e.collectGarbage();
            assertThat(deadBytes(e)).isZero();
            assertConsistent(e);
        }
        try (Engine e = TestEngines.open(dir)) {
            acked.forEach((k, v) -> assertThat(TestEngines.read(e, "b", k)).as(k).isEqualTo(v));
            assertThat(e.listObjects("b", ListObjectsQuery.all()).objects()).hasSize(acked.size());
            assertConsistent(e);
        }
    }

    @Test
    void aCrashBeforeTheGroupFsyncLosesOnlyWhatWasNeverAcknowledged() throws Exception {
        FaultyIo io = new FaultyIo();
        Map<String, byte[]> acked = new ConcurrentHashMap<>();
        Engine e = Engine.open(TestEngines.config(dir).withSegmentIo(io));
        try {
            e.createBucket("b", OWNER);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            CountDownLatch someAcked = new CountDownLatch(20);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; ; i++) {
                        byte[] body = TestEngines.bytes(thread * 10_000L + i, 100 + (i * 977) % LIMIT);
                        String key = "t" + thread + "k" + i;
                        try {
                            TestEngines.put(e, "b", key, body);
                        } catch (EngineException ex) {
                            return; // the "crash": nothing reaches the files any more
                        }
                        acked.put(key, body);
                        someAcked.countDown();
                    }
                }, pool));
            }
            assertThat(someAcked.await(60, TimeUnit.SECONDS)).isTrue();
            io.crashOnNextDataSync();
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            pool.shutdown();
        } finally {
            e.close();
        }
        try (Engine reopened = TestEngines.open(dir)) {
            acked.forEach((k, v) -> assertThat(TestEngines.read(reopened, "b", k)).as(k).isEqualTo(v));
            assertThat(reopened.listObjects("b", ListObjectsQuery.all()).objects()).extracting(ObjectInfo::key)
                    .containsExactlyInAnyOrderElementsOf(acked.keySet());
            assertConsistent(reopened);
            reopened.collectGarbage();
            assertThat(deadBytes(reopened)).isZero();
            assertConsistent(reopened);
        }
    }
}
