package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.testkit.TestEngines;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Complete against Abort, Complete against Complete, and racing re-uploads of one part number. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompleteRaceTest {
    private static final int PART = 3000;

    @TempDir
    Path dir;

    private record Upload(String id, List<CompletedPart> parts, byte[] all) {
    }

    private static Upload upload(Engine e, String key, int parts) {
        String id = e.createUpload("b", key, UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
        List<CompletedPart> list = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int n = 1; n <= parts; n++) {
            byte[] body = TestEngines.bytes(key.hashCode() * 31L + n, PART);
            list.add(new CompletedPart(n, TestEngines.part(e, "b", key, id, n, body).etag(), null));
            all.writeBytes(body);
        }
        return new Upload(id, list, all.toByteArray());
    }

    /** Runs two calls at once; each result is the value or the error code. */
    private static List<Object> race(AbortRaceTest.ExecutorServiceCloser pool, java.util.concurrent.Callable<?> a,
                                     java.util.concurrent.Callable<?> b) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Object>> fs = new ArrayList<>();
        for (java.util.concurrent.Callable<?> c : List.of(a, b)) {
            fs.add(pool.submit(() -> {
                start.await();
                try {
                    return c.call();
                } catch (EngineException ex) {
                    return ex.code();
                }
            }));
        }
        List<Object> out = new ArrayList<>();
        for (Future<Object> f : fs) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    @RepeatedTest(10)
    void completeRacingAbortHasExactlyOneWinner() throws Exception {
        try (Engine e = TestEngines.open(dir); var pool = new AbortRaceTest.ExecutorServiceCloser(2)) {
            e.createBucket("b", OWNER);
            Upload up = upload(e, "k", 3);
            List<Object> r = race(pool,
                    () -> e.completeUpload("b", "k", up.id(), up.parts(), CompleteOptions.NONE),
                    () -> {
                        e.abortUpload("b", "k", up.id());
                        return "aborted";
                    });
            boolean completed = r.get(0) instanceof ObjectInfo;
            boolean aborted = "aborted".equals(r.get(1));
            assertThat(completed ^ aborted).as("exactly one of complete/abort wins: %s", r).isTrue();
            if (completed) {
                assertThat(r.get(1)).isEqualTo(ErrorCode.NO_SUCH_UPLOAD);
                assertThat(TestEngines.read(e, "b", "k")).isEqualTo(up.all());
            } else {
                assertThat(r.get(0)).isEqualTo(ErrorCode.NO_SUCH_UPLOAD);
                assertThat(e.listObjects("b", ListObjectsQuery.all()).objects()).isEmpty();
            }
            assertThat(e.listUploads("b", ListUploadsQuery.all()).uploads()).isEmpty();
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }

    @RepeatedTest(5)
    void twoCompletesWithDifferentListsHaveExactlyOneWinner() throws Exception {
        try (Engine e = TestEngines.open(dir); var pool = new AbortRaceTest.ExecutorServiceCloser(2)) {
            e.createBucket("b", OWNER);
            Upload up = upload(e, "k", 3);
            List<CompletedPart> shorter = up.parts().subList(0, 2);
            List<Object> r = race(pool,
                    () -> e.completeUpload("b", "k", up.id(), up.parts(), CompleteOptions.NONE),
                    () -> e.completeUpload("b", "k", up.id(), shorter, CompleteOptions.NONE));
            long winners = r.stream().filter(o -> o instanceof ObjectInfo).count();
            assertThat(winners).as("results %s", r).isEqualTo(1);
            assertThat(r).contains(ErrorCode.NO_SUCH_UPLOAD);
            byte[] stored = TestEngines.read(e, "b", "k");
            int expectedLength = r.get(0) instanceof ObjectInfo ? 3 * PART : 2 * PART;
            assertThat(stored).hasSize(expectedLength);
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }

    @Test
    void identicalCompletesBothSucceedWithTheSameEtag() throws Exception {
        try (Engine e = TestEngines.open(dir); var pool = new AbortRaceTest.ExecutorServiceCloser(2)) {
            e.createBucket("b", OWNER);
            Upload up = upload(e, "k", 3);
            List<Object> r = race(pool,
                    () -> e.completeUpload("b", "k", up.id(), up.parts(), CompleteOptions.NONE),
                    () -> e.completeUpload("b", "k", up.id(), up.parts(), CompleteOptions.NONE));
            assertThat(r).allMatch(o -> o instanceof ObjectInfo);
            assertThat(((ObjectInfo) r.get(0)).etag()).isEqualTo(((ObjectInfo) r.get(1)).etag());
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(up.all());
        }
    }

    @RepeatedTest(5)
    void racingReuploadsOfOnePartKeepExactlyTheLastCommitted() throws Exception {
        try (Engine e = TestEngines.open(dir); var pool = new AbortRaceTest.ExecutorServiceCloser(4)) {
            e.createBucket("b", OWNER);
            String id = e.createUpload("b", "k", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            List<Future<List<PartInfo>>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    List<PartInfo> mine = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        mine.add(TestEngines.part(e, "b", "k", id, 1, TestEngines.bytes(thread * 100 + i, 1000 + i)));
                    }
                    return mine;
                }));
            }
            List<PartInfo> all = new ArrayList<>();
            for (Future<List<PartInfo>> f : fs) {
                all.addAll(f.get(30, TimeUnit.SECONDS));
            }
            PartListing listing = e.listParts("b", "k", id, 1000, 0);
            assertThat(listing.parts()).hasSize(1);
            PartInfo kept = listing.parts().get(0);
            assertThat(all).extracting(PartInfo::etag).contains(kept.etag());
            assertThat(kept.size()).isBetween(1000L, 1019L);
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }
}
