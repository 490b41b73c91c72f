package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateMetadataTest {
    @TempDir
    Path dir;

    @Test
    void changesMetadataOnlyAndSurvivesReopen() {
        byte[] body = TestEngines.bytes(1, 10_000);
        ObjectInfo before;
        long segmentBytes;
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            before = TestEngines.put(e, "b", "k", body);
            segmentBytes = e.space().values().stream().mapToLong(SegmentSpace::size).sum();
            long liveBefore = TestEngines.liveBytes(e);

            ObjectInfo after = e.setMetadataEntry("b", "k", "x-test", "1");

            assertThat(after.metadata().get("x-test")).isEqualTo("1");
            assertThat(after.etag()).isEqualTo(before.etag());
            assertThat(after.lastModified()).isEqualTo(before.lastModified());
            assertThat(after.size()).isEqualTo(before.size());
            // not one byte written, not one byte turned to garbage
            assertThat(e.space().values().stream().mapToLong(SegmentSpace::size).sum()).isEqualTo(segmentBytes);
            assertThat(TestEngines.liveBytes(e)).isEqualTo(liveBefore).isEqualTo(TestEngines.expectedLiveBytes(e));
            assertThat(e.usage().get(0).objects()).isEqualTo(1);
            assertThat(e.usage().get(0).objectBytes()).isEqualTo(body.length);
            assertThat(e.fsck(true).clean()).isTrue();
        }
        try (Engine e = TestEngines.open(dir)) {
            assertThat(e.headObject("b", "k").metadata().get("x-test")).isEqualTo("1");
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(body);
            ObjectInfo cleared = e.setMetadataEntry("b", "k", "x-test", null);
            assertThat(cleared.metadata().entries()).isEmpty();
            assertThat(e.headObject("b", "k").metadata().entries()).isEmpty();
        }
    }

    @Test
    void keepsTheManifestOfAMultipartObject() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            UploadInfo up = e.createUpload("b", "m", UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
            byte[] p1 = TestEngines.bytes(2, (int) TestEngines.MIN_PART);
            byte[] p2 = TestEngines.bytes(3, 10);
            PartInfo a = TestEngines.part(e, "b", "m", up.uploadId(), 1, p1);
            PartInfo c = TestEngines.part(e, "b", "m", up.uploadId(), 2, p2);
            ObjectInfo done = e.completeUpload("b", "m", up.uploadId(),
                    List.of(new CompletedPart(1, a.etag(), null), new CompletedPart(2, c.etag(), null)),
                    CompleteOptions.NONE);

            ObjectInfo after = e.setMetadataEntry("b", "m", "x-test", "2");

            assertThat(after.parts()).isEqualTo(done.parts());
            assertThat(after.etag()).isEqualTo(done.etag());
            assertThat(TestEngines.read(e, "b", "m", ReadRange.part(2))).isEqualTo(p2);
            assertThat(e.fsck(true).clean()).isTrue();
        }
    }

    @Test
    void missingKeyOrBucketFailsAndWritesNothing() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            assertThatThrownBy(() -> e.setMetadataEntry("b", "nope", "a", "b"))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_KEY));
            assertThatThrownBy(() -> e.setMetadataEntry("nobucket", "k", "a", "b"))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_BUCKET));
            assertThat(e.listObjects("b", ListObjectsQuery.all()).objects()).isEmpty();
        }
    }

    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        int threads = 4;
        int rounds = 50;
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            TestEngines.put(e, "b", "k", TestEngines.bytes(4, 100));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            try {
                for (int t = 0; t < threads; t++) {
                    String name = "x-thread-" + t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 1; i <= rounds; i++) {
                            String v = Integer.toString(i);
                            e.setMetadataEntry("b", "k", name, v);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Map<String, String> entries = e.headObject("b", "k").metadata().entries();
            for (int t = 0; t < threads; t++) {
                assertThat(entries).containsEntry("x-thread-" + t, Integer.toString(rounds));
            }
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
            assertThat(e.fsck(true).clean()).isTrue();
        }
    }
}
