package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bucket's usage, incomplete uploads included, is exact after every command. */
class UsageTest {
    @TempDir
    Path dir;

    private static BucketUsage of(Engine e, String bucket) {
        return e.usage().stream().filter(u -> u.bucket().equals(bucket)).findFirst().orElseThrow();
    }

    @Test
    void objectsAndIncompleteUploadsAreCountedExactly() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            e.createBucket("other", OWNER);
            TestEngines.put(e, "b", "x", new byte[100]);
            TestEngines.put(e, "b", "x", new byte[70]); // overwrite
            TestEngines.put(e, "b", "y", new byte[30]);
            assertThat(of(e, "b")).isEqualTo(new BucketUsage("b", 2, 100, 0, 0, null));

            UploadInfo up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
            PartInfo p1 = TestEngines.part(e, "b", "mp", up.uploadId(), 1, TestEngines.bytes(1, 6000));
            TestEngines.part(e, "b", "mp", up.uploadId(), 2, TestEngines.bytes(2, 500));
            TestEngines.part(e, "b", "mp", up.uploadId(), 2, TestEngines.bytes(3, 400)); // re-upload
            UploadInfo gone = e.createUpload("b", "ab", UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
            TestEngines.part(e, "b", "ab", gone.uploadId(), 1, new byte[900]);
            BucketUsage u = of(e, "b");
            assertThat(u.uploads()).isEqualTo(2);
            assertThat(u.uploadBytes()).isEqualTo(6000 + 400 + 900);
            assertThat(u.oldestUpload()).isEqualTo(up.initiated());

            e.abortUpload("b", "ab", gone.uploadId());
            e.reclaimAbortedUploads();
            assertThat(of(e, "b").uploads()).isEqualTo(1);
            assertThat(of(e, "b").uploadBytes()).isEqualTo(6400);

            e.completeUpload("b", "mp", up.uploadId(), List.of(new CompletedPart(1, p1.etag(), null)),
                    CompleteOptions.NONE); // part 2 is left out
            assertThat(of(e, "b")).isEqualTo(new BucketUsage("b", 3, 100 + 6000, 0, 0, null));
            e.deleteObject("b", "x");
            assertThat(of(e, "b")).isEqualTo(new BucketUsage("b", 2, 6030, 0, 0, null));
            assertThat(of(e, "other")).isEqualTo(new BucketUsage("other", 0, 0, 0, 0, null));
            assertThat(e.fsck(false).problems()).isEmpty();
        }
        try (Engine e = TestEngines.open(dir)) {
            assertThat(of(e, "b")).isEqualTo(new BucketUsage("b", 2, 6030, 0, 0, null));
            EngineStats stats = e.stats();
            assertThat(stats.liveBytes()).isPositive();
            assertThat(stats.fsyncs()).isPositive();
        }
    }
}
