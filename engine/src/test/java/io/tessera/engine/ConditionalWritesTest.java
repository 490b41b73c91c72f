package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conditional writes, deletes and aborts: each condition is decided under the key's (or upload's)
 * lock in the step that writes, so racing writers never both win and a failed condition leaves
 * nothing behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConditionalWritesTest {
    @TempDir
    Path dir;

    private static ObjectInfo put(Engine e, String key, String body, Precondition p) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", key,
                PutOptions.of(ObjectMetadata.EMPTY, OWNER).withExpectedLength(b.length).withPrecondition(p))) {
            w.write(ByteBuffer.wrap(b));
            return w.commit(BodyExpectations.NONE);
        }
    }

    private static String text(Engine e, String key) {
        return new String(TestEngines.read(e, "b", key), StandardCharsets.UTF_8);
    }

    private static ErrorCode codeOf(Runnable r) {
        try {
            r.run();
            return null;
        } catch (EngineException ex) {
            return ex.code();
        }
    }

    @Test
    void putConditionsFollowS3() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            String etag = put(e, "k", "one", Precondition.ifAbsent()).etag();
            assertThat(codeOf(() -> put(e, "k", "two", Precondition.ifAbsent())))
                    .isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(codeOf(() -> put(e, "k", "two", Precondition.ifMatch("\"0123\""))))
                    .isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(codeOf(() -> put(e, "absent", "two", Precondition.ifMatch(etag))))
                    .isEqualTo(ErrorCode.NO_SUCH_KEY);
            assertThat(codeOf(() -> put(e, "absent", "two", Precondition.ifMatch("*"))))
                    .isEqualTo(ErrorCode.NO_SUCH_KEY);
            assertThat(codeOf(() -> put(e, "k", "two", Precondition.ifNoneMatch(etag))))
                    .isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(text(e, "k")).isEqualTo("one");

            String unquoted = etag.replace("\"", "");
            String etag2 = put(e, "k", "two", Precondition.ifMatch(unquoted)).etag();
            String etag3 = put(e, "k", "three", Precondition.ifMatch("*")).etag();
            put(e, "k", "four", Precondition.ifNoneMatch(etag2).withIfMatch(etag3));
            assertThat(text(e, "k")).isEqualTo("four");
            put(e, "fresh", "x", Precondition.ifNoneMatch("\"whatever\""));
            assertThat(text(e, "fresh")).isEqualTo("x");
            // the failed writes' bytes are garbage, the counters agree
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }

    @Test
    void aKeyDeletedUnderAnIfNoneMatchWriteIsAConflict() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            put(e, "k", "old", Precondition.NONE);
            byte[] body = "new".getBytes(StandardCharsets.UTF_8);
            try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", "k",
                    PutOptions.of(ObjectMetadata.EMPTY, OWNER).withPrecondition(Precondition.ifAbsent()))) {
                w.write(ByteBuffer.wrap(body));
                e.deleteObject("b", "k");
                assertThatThrownBy(() -> w.commit(BodyExpectations.NONE)).isInstanceOfSatisfying(
                        EngineException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONDITIONAL_REQUEST_CONFLICT));
            }
            assertThatThrownBy(() -> e.headObject("b", "k")).isInstanceOfSatisfying(EngineException.class,
                    ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_KEY));
            // decided afresh, the retry wins
            put(e, "k", "new", Precondition.ifAbsent());
            assertThat(text(e, "k")).isEqualTo("new");
            // a key that was empty when the write began and still is: no conflict
            try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", "k2",
                    PutOptions.of(ObjectMetadata.EMPTY, OWNER).withPrecondition(Precondition.ifAbsent()))) {
                w.write(ByteBuffer.wrap(body));
                e.deleteObject("b", "k2");
                w.commit(BodyExpectations.NONE);
            }
            assertThat(text(e, "k2")).isEqualTo("new");
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }

    private static CompletedPart onePart(Engine e, String key, String uploadId) {
        PartInfo p = TestEngines.part(e, "b", key, uploadId, 1, TestEngines.bytes(7, 2000));
        return new CompletedPart(1, p.etag(), null);
    }

    @Test
    void completeConditionsLeaveTheUploadUsableWhenTheyFail() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            // a PUT that lands during the upload makes Complete's If-None-Match fail
            String id = e.createUpload("b", "k", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            List<CompletedPart> parts = List.of(onePart(e, "k", id));
            String landed = put(e, "k", "landed", Precondition.NONE).etag();
            assertThat(codeOf(() -> e.completeUpload("b", "k", id, parts,
                    new CompleteOptions(Precondition.ifAbsent(), null, -1)))).isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(codeOf(() -> e.completeUpload("b", "k", id, parts,
                    new CompleteOptions(Precondition.ifMatch("\"00\""), null, -1))))
                    .isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(e.listParts("b", "k", id, 10, 0).parts()).hasSize(1);
            e.completeUpload("b", "k", id, parts, new CompleteOptions(Precondition.ifMatch(landed), null, -1));
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(TestEngines.bytes(7, 2000));

            // If-Match on a key without an object
            String id2 = e.createUpload("b", "k2", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            List<CompletedPart> parts2 = List.of(onePart(e, "k2", id2));
            assertThat(codeOf(() -> e.completeUpload("b", "k2", id2, parts2,
                    new CompleteOptions(Precondition.ifMatch("*"), null, -1)))).isEqualTo(ErrorCode.NO_SUCH_KEY);
            e.completeUpload("b", "k2", id2, parts2, new CompleteOptions(Precondition.ifAbsent(), null, -1));
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }

    @Test
    void aDeleteDuringAnUploadConflictsWithItsIfNoneMatchComplete() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            put(e, "k", "old", Precondition.NONE);
            String id = e.createUpload("b", "k", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            List<CompletedPart> parts = List.of(onePart(e, "k", id));
            e.deleteObject("b", "k");
            assertThat(codeOf(() -> e.completeUpload("b", "k", id, parts,
                    new CompleteOptions(Precondition.ifAbsent(), null, -1))))
                    .isEqualTo(ErrorCode.CONDITIONAL_REQUEST_CONFLICT);
            // an upload created once the key is empty completes
            String id2 = e.createUpload("b", "k", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            e.completeUpload("b", "k", id2, List.of(onePart(e, "k", id2)),
                    new CompleteOptions(Precondition.ifAbsent(), null, -1));
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(TestEngines.bytes(7, 2000));
        }
    }

    @Test
    void completeRefusesAnotherChecksumType() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            String id = e.createUpload("b", "k", new UploadOptions(ObjectMetadata.EMPTY, OWNER, ChecksumAlgorithm.CRC32,
                    ChecksumType.FULL_OBJECT)).uploadId();
            PartInfo p;
            byte[] body = TestEngines.bytes(3, 100);
            try (BodyWriter<PartInfo> w = e.beginUploadPart("b", "k", id, 1, new PartOptions(null, body.length))) {
                w.write(ByteBuffer.wrap(body));
                p = w.commit(BodyExpectations.NONE);
            }
            List<CompletedPart> parts = List.of(new CompletedPart(1, p.etag(), null));
            assertThat(codeOf(() -> e.completeUpload("b", "k", id, parts,
                    new CompleteOptions(Precondition.NONE, null, -1, ChecksumType.COMPOSITE))))
                    .isEqualTo(ErrorCode.BAD_DIGEST);
            ObjectInfo done = e.completeUpload("b", "k", id, parts,
                    new CompleteOptions(Precondition.NONE, null, -1, ChecksumType.FULL_OBJECT));
            assertThat(done.checksum().type()).isEqualTo(ChecksumType.FULL_OBJECT);
        }
    }

    @Test
    void deleteConditionsAreCheckedWithTheDelete() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            ObjectInfo o = put(e, "k", "12345", Precondition.NONE);
            Instant modified = o.lastModified();
            assertThat(codeOf(() -> e.deleteObject("b", "k", Precondition.ifMatch("\"00\""))))
                    .isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(codeOf(() -> e.deleteObject("b", "k", Precondition.NONE.withSize(4))))
                    .isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(codeOf(() -> e.deleteObject("b", "k",
                    Precondition.NONE.withLastModified(modified.minusSeconds(5))))).isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(codeOf(() -> e.deleteObject("b", "k",
                    Precondition.ifMatch(o.etag()).withSize(4)))).isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(text(e, "k")).isEqualTo("12345");

            // the date compares to the second: an HTTP date of the same second matches
            e.deleteObject("b", "k", Precondition.ifMatch(o.etag()).withSize(5)
                    .withLastModified(Instant.ofEpochSecond(modified.getEpochSecond())));
            assertThat(codeOf(() -> e.headObject("b", "k"))).isEqualTo(ErrorCode.NO_SUCH_KEY);

            // an absent key: If-Match needs an object, the other conditions do not
            assertThat(codeOf(() -> e.deleteObject("b", "k", Precondition.ifMatch("*"))))
                    .isEqualTo(ErrorCode.NO_SUCH_KEY);
            e.deleteObject("b", "k", Precondition.NONE.withSize(5).withLastModified(modified));
            put(e, "k", "x", Precondition.NONE);
            e.deleteObject("b", "k", Precondition.ifMatch("*"));
            assertThat(codeOf(() -> e.headObject("b", "k"))).isEqualTo(ErrorCode.NO_SUCH_KEY);
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }

    @Test
    void abortChecksTheInitiationTime() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            UploadInfo up = e.createUpload("b", "k", UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
            Instant initiated = up.initiated();
            assertThat(codeOf(() -> e.abortUpload("b", "k", up.uploadId(), initiated.plusSeconds(1))))
                    .isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(e.listUploads("b", ListUploadsQuery.all()).uploads()).hasSize(1);
            e.abortUpload("b", "k", up.uploadId(), Instant.ofEpochSecond(initiated.getEpochSecond()));
            assertThat(e.listUploads("b", ListUploadsQuery.all()).uploads()).isEmpty();
            // an upload that does not exist (any more): no error with the condition, NoSuchUpload without
            e.abortUpload("b", "k", up.uploadId(), initiated);
            e.abortUpload("b", "k", "not-an-upload-id", initiated);
            assertThat(codeOf(() -> e.abortUpload("b", "k", up.uploadId()))).isEqualTo(ErrorCode.NO_SUCH_UPLOAD);
            assertThat(codeOf(() -> e.abortUpload("b", "k", "not-an-upload-id")))
                    .isEqualTo(ErrorCode.NO_SUCH_UPLOAD);
        }
    }

    /**
     * N threads read the counter, then all try to write counter+1 under If-Match at once: each round
     * exactly one wins, the others get PRECONDITION_FAILED, and no increment is lost.
     */
    @RepeatedTest(3)
    void ifMatchReadModifyWriteLosesNoUpdate() throws Exception {
        int threads = 4;
        int rounds = 30;
        try (Engine e = TestEngines.open(dir); var pool = new AbortRaceTest.ExecutorServiceCloser(threads)) {
            e.createBucket("b", OWNER);
            put(e, "counter", "0", Precondition.NONE);
            CyclicBarrier read = new CyclicBarrier(threads);
            CyclicBarrier written = new CyclicBarrier(threads);
            AtomicIntegerArray wins = new AtomicIntegerArray(rounds);
            List<Future<List<ErrorCode>>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    List<ErrorCode> losses = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        ObjectInfo seen;
                        int value;
                        try (ObjectContent c = e.getObject("b", "counter", ReadRange.ALL)) {
                            seen = c.info();
                            value = Integer.parseInt(new String(c.stream().readAllBytes(), StandardCharsets.UTF_8));
                        }
                        read.await(10, TimeUnit.SECONDS);
                        try {
                            put(e, "counter", Integer.toString(value + 1), Precondition.ifMatch(seen.etag()));
                            wins.incrementAndGet(round);
                        } catch (EngineException ex) {
                            losses.add(ex.code());
                        }
                        written.await(10, TimeUnit.SECONDS);
                    }
                    return losses;
                }));
            }
            List<ErrorCode> losses = new ArrayList<>();
            for (Future<List<ErrorCode>> f : fs) {
                losses.addAll(f.get(50, TimeUnit.SECONDS));
            }
            for (int round = 0; round < rounds; round++) {
                assertThat(wins.get(round)).as("winners of round %d", round).isEqualTo(1);
            }
            assertThat(losses).hasSize((threads - 1) * rounds).containsOnly(ErrorCode.PRECONDITION_FAILED);
            assertThat(text(e, "counter")).isEqualTo(Integer.toString(rounds));
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }

    /** Writers creating one key with If-None-Match: * at once: exactly one creates it. */
    @RepeatedTest(3)
    void racingCreatorsHaveExactlyOneWinner() throws Exception {
        int threads = 4;
        try (Engine e = TestEngines.open(dir); var pool = new AbortRaceTest.ExecutorServiceCloser(threads)) {
            e.createBucket("b", OWNER);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<ErrorCode>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String body = "writer-" + t;
                fs.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return codeOf(() -> put(e, "k", body, Precondition.ifAbsent()));
                }));
            }
            List<ErrorCode> results = new ArrayList<>();
            for (Future<ErrorCode> f : fs) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(results.stream().filter(r -> r == null).count()).as("results %s", results).isEqualTo(1);
            assertThat(results.stream().filter(r -> r != null)).containsOnly(ErrorCode.PRECONDITION_FAILED);
            assertThat(text(e, "k")).startsWith("writer-");
        }
    }
}
