package io.tessera.engine;

import io.tessera.engine.testkit.ManualClock;
import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tombstones refuse late parts and replay Completes while they last, and are purged after retention. */
class TombstoneTest {
    @TempDir
    Path dir;


    @Test
    void tombstonesLastTheirRetentionThenGo() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Engine e = Engine.open(TestEngines.config(dir).withClock(clock))) {
            e.createBucket("b", OWNER);
            String aborted = e.createUpload("b", "a", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            e.abortUpload("b", "a", aborted);
            String done = e.createUpload("b", "c", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            PartInfo p = TestEngines.part(e, "b", "c", done, 1, new byte[10]);
            List<CompletedPart> list = List.of(new CompletedPart(1, p.etag(), null));
            ObjectInfo first = e.completeUpload("b", "c", done, list, CompleteOptions.NONE);
            String open = e.createUpload("b", "o", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();

            clock.advance(Engine.TOMBSTONE_RETENTION.minusMinutes(1));
            assertThat(e.purgeTombstones()).isZero();
            assertThat(e.completeUpload("b", "c", done, list, CompleteOptions.NONE).etag()).isEqualTo(first.etag());

            clock.advance(Duration.ofMinutes(2));
            assertThat(e.purgeTombstones()).isEqualTo(2);
            // gone, and still NoSuchUpload for anything that names them
            assertThatThrownBy(() -> TestEngines.part(e, "b", "a", aborted, 1, new byte[1]))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            assertThatThrownBy(() -> e.completeUpload("b", "c", done, list, CompleteOptions.NONE))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            // open uploads are never purged
            assertThat(e.listParts("b", "o", open, 1000, 0).parts()).isEmpty();
            assertThat(e.fsck(false).problems()).isEmpty();
        }
    }

    @Test
    void purgingTakesOnlyExpiredTombstonesInBatches() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Engine e = Engine.open(TestEngines.config(dir).withClock(clock))) {
            e.createBucket("b", OWNER);
            int old = 2_500; // more than one purge batch
            for (int i = 0; i < old; i++) {
                String id = e.createUpload("b", "k" + i, UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
                e.abortUpload("b", "k" + i, id);
            }
            clock.advance(Duration.ofDays(1));
            String young = e.createUpload("b", "young", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            e.abortUpload("b", "young", young);

            clock.advance(Engine.TOMBSTONE_RETENTION.minusHours(1));
            assertThat(e.purgeTombstones()).isEqualTo(old);
            assertThat(e.purgeTombstones()).isZero();
            assertThatThrownBy(() -> e.listParts("b", "young", young, 10, 0))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            assertThat(e.fsck(false).problems()).isEmpty();

            clock.advance(Duration.ofDays(1));
            assertThat(e.purgeTombstones()).isEqualTo(1);
        }
    }

    @Test
    void abortLeavesThePartsToTheBackgroundReclaimAndIsFinalAtOnce() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            String id = e.createUpload("b", "big", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            int parts = 300;
            for (int n = 1; n <= parts; n++) {
                TestEngines.part(e, "b", "big", id, n, TestEngines.bytes(n, 1000));
            }

            e.abortUpload("b", "big", id);

            // final at once: no listing, no ListParts, no late part
            assertThat(e.listUploads("b", ListUploadsQuery.all()).uploads()).isEmpty();
            assertThatThrownBy(() -> e.listParts("b", "big", id, 1000, 0))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            assertThatThrownBy(() -> TestEngines.part(e, "b", "big", id, 1, new byte[1]))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            assertThat(e.fsck(false).problems()).isEmpty();
            // the reclaim drops every part's bytes, and a second one finds nothing left to do
            e.reclaimAbortedUploads();
            assertThat(TestEngines.liveBytes(e)).isZero();
            assertThat(e.reclaimAbortedUploads()).isZero();
            e.deleteBucket("b");
            assertThat(e.fsck(false).problems()).isEmpty();
        }
    }
}
