package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Object versioning: ids, the null version, delete markers, promotion, listing, usage and GC. */
class VersioningTest {
    @TempDir
    Path dir;
    private Engine e;

    @BeforeEach
    void open() {
        e = TestEngines.open(dir);
        e.createBucket("b", OWNER);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        e.close();
    }

    private ObjectInfo put(String key, String body) {
        return TestEngines.put(e, "b", key, body.getBytes(StandardCharsets.UTF_8));
    }

    private String read(String key, String versionId) {
        try (ObjectContent c = e.getObject("b", key, versionId, ReadRange.ALL)) {
            return new String(c.stream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private List<ObjectVersion> versions(String prefix) {
        return e.listObjectVersions("b", new ListVersionsQuery(prefix, null, null, null, 1000)).versions();
    }

    private BucketUsage usage() {
        return e.usage().stream().filter(u -> u.bucket().equals("b")).findFirst().orElseThrow();
    }

    @Test
    void neverVersionedBucketsShowNoIdsAndListNullVersions() {
        assertThat(e.bucketVersioning("b")).isEqualTo(VersioningState.UNVERSIONED);
        assertThat(put("k", "one").versionId()).isNull();
        assertThat(e.headObject("b", "k").versionId()).isNull();
        assertThat(e.headObject("b", "k", "null").etag()).isNotNull();
        assertThat(e.deleteObject("b", "nothing")).isEqualTo(DeleteOutcome.UNVERSIONED);
        List<ObjectVersion> v = versions("");
        assertThat(v).hasSize(1);
        assertThat(v.get(0).versionId()).isEqualTo("null");
        assertThat(v.get(0).latest()).isTrue();
        assertThatThrownBy(() -> e.setBucketVersioning("b", VersioningState.UNVERSIONED))
                .hasFieldOrPropertyWithValue("code", ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void enabledBucketsKeepEveryVersionAndReadAnyOfThem() {
        put("k", "before"); // the null version
        e.setBucketVersioning("b", VersioningState.ENABLED);
        ObjectInfo v1 = put("k", "first");
        ObjectInfo v2 = put("k", "second");
        assertThat(v1.versionId()).matches("[0-9a-f]{16}[A-Za-z0-9]{16}");
        assertThat(v2.versionId()).isNotEqualTo(v1.versionId());
        assertThat(read("k", null)).isEqualTo("second");
        assertThat(read("k", v1.versionId())).isEqualTo("first");
        assertThat(read("k", "null")).isEqualTo("before");
        assertThat(e.headObject("b", "k").versionId()).isEqualTo(v2.versionId());
        assertThat(versions("").stream().map(ObjectVersion::versionId))
                .containsExactly(v2.versionId(), v1.versionId(), "null");
        assertThat(versions("").stream().map(ObjectVersion::latest)).containsExactly(true, false, false);
        assertThat(usage().objects()).isEqualTo(3);
        assertThat(usage().objectBytes()).isEqualTo("before".length() + "first".length() + "second".length());
        assertThatThrownBy(() -> e.headObject("b", "k", "0000000000000001AAAAAAAAAAAAAAAA"))
                .hasFieldOrPropertyWithValue("code", ErrorCode.NO_SUCH_VERSION);
        assertThatThrownBy(() -> e.headObject("b", "k", "bogus"))
                .hasFieldOrPropertyWithValue("code", ErrorCode.INVALID_ARGUMENT);
        assertThat(e.fsck(true).problems()).isEmpty();
    }

    @Test
    void deleteAddsMarkersThatStackAndRemovingThemRestoresTheObject() {
        e.setBucketVersioning("b", VersioningState.ENABLED);
        ObjectInfo v1 = put("k", "data");
        DeleteOutcome m1 = e.deleteObject("b", "k");
        DeleteOutcome m2 = e.deleteObject("b", "k");
        assertThat(m1.deleteMarker()).isTrue();
        assertThat(m2.versionId()).isNotEqualTo(m1.versionId());
        assertThatThrownBy(() -> e.headObject("b", "k")).satisfies(ex -> {
            EngineException ee = (EngineException) ex;
            assertThat(ee.code()).isEqualTo(ErrorCode.NO_SUCH_KEY);
            assertThat(ee.deleteMarker().versionId()).isEqualTo(m2.versionId());
        });
        assertThatThrownBy(() -> e.headObject("b", "k", m1.versionId())).satisfies(ex -> {
            EngineException ee = (EngineException) ex;
            assertThat(ee.code()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED);
            assertThat(ee.deleteMarker().versionId()).isEqualTo(m1.versionId());
        });
        assertThat(e.listObjects("b", new ListObjectsQuery(null, null, null, 1000)).objects()).isEmpty();
        List<ObjectVersion> v = versions("");
        assertThat(v.stream().map(ObjectVersion::deleteMarker)).containsExactly(true, true, false);
        assertThat(v.get(0).latest()).isTrue();

        assertThat(e.deleteObjectVersion("b", "k", m2.versionId())).isEqualTo(new DeleteOutcome(m2.versionId(), true));
        assertThatThrownBy(() -> e.headObject("b", "k")).hasFieldOrPropertyWithValue("code", ErrorCode.NO_SUCH_KEY);
        e.deleteObjectVersion("b", "k", m1.versionId());
        assertThat(read("k", null)).isEqualTo("data");
        assertThat(e.headObject("b", "k").versionId()).isEqualTo(v1.versionId());
        assertThat(e.deleteObjectVersion("b", "k", m1.versionId())).isEqualTo(new DeleteOutcome(m1.versionId(), false));
        assertThat(e.fsck(false).problems()).isEmpty();
    }

    @Test
    void removingTheCurrentVersionPromotesTheNextAndFreesItsBytes() {
        e.setBucketVersioning("b", VersioningState.ENABLED);
        put("k", "old");
        ObjectInfo v2 = put("k", "new");
        e.deleteObjectVersion("b", "k", v2.versionId());
        assertThat(read("k", null)).isEqualTo("old");
        assertThat(usage().objects()).isEqualTo(1);
        assertThat(usage().objectBytes()).isEqualTo(3);
        e.deleteObjectVersion("b", "k", e.headObject("b", "k").versionId());
        assertThat(versions("")).isEmpty();
        assertThat(usage().objects()).isZero();
        e.collectGarbage();
        assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        assertThat(e.fsck(false).problems()).isEmpty();
        e.deleteBucket("b");
    }

    @Test
    void bucketWithOnlyMarkersIsNotEmpty() {
        e.setBucketVersioning("b", VersioningState.ENABLED);
        e.deleteObject("b", "ghost");
        assertThatThrownBy(() -> e.deleteBucket("b")).hasFieldOrPropertyWithValue("code", ErrorCode.BUCKET_NOT_EMPTY);
    }

    @Test
    void suspendedWritesReplaceOnlyTheNullVersion() {
        e.setBucketVersioning("b", VersioningState.ENABLED);
        ObjectInfo v1 = put("k", "kept");
        e.setBucketVersioning("b", VersioningState.SUSPENDED);
        assertThat(put("k", "null-1").versionId()).isNull();
        put("k", "null-2");
        assertThat(e.headObject("b", "k").versionId()).isEqualTo("null");
        assertThat(versions("").stream().map(ObjectVersion::versionId)).containsExactly("null", v1.versionId());
        assertThat(usage().objectBytes()).isEqualTo("kept".length() + "null-2".length());

        DeleteOutcome d = e.deleteObject("b", "k");
        assertThat(d).isEqualTo(new DeleteOutcome("null", true));
        e.deleteObject("b", "k"); // does not stack
        List<ObjectVersion> v = versions("");
        assertThat(v.stream().map(ObjectVersion::versionId)).containsExactly("null", v1.versionId());
        assertThat(v.get(0).deleteMarker()).isTrue();
        assertThat(usage().objectBytes()).isEqualTo("kept".length());

        put("k", "back"); // replaces the null marker
        assertThat(versions("").stream().map(ObjectVersion::deleteMarker)).containsExactly(false, false);
        e.setBucketVersioning("b", VersioningState.ENABLED);
        ObjectInfo v3 = put("k", "three");
        assertThat(versions("").stream().map(ObjectVersion::versionId))
                .containsExactly(v3.versionId(), "null", v1.versionId());
        assertThat(read("k", "null")).isEqualTo("back");
        e.deleteObjectVersion("b", "k", "null");
        assertThat(versions("").stream().map(ObjectVersion::versionId)).containsExactly(v3.versionId(), v1.versionId());
        assertThat(e.fsck(false).problems()).isEmpty();
    }

    @Test
    void listingPagesByKeyAndVersionMarkersAndRollsUpPrefixes() {
        e.setBucketVersioning("b", VersioningState.ENABLED);
        for (String k : List.of("a", "b", "d/1", "d/2", "e")) {
            put(k, "x");
            put(k, "y");
        }
        e.deleteObject("b", "e");
        List<ObjectVersion> all = versions("");
        assertThat(all).hasSize(11);
        List<String> seen = new java.util.ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        int pages = 0;
        while (true) {
            VersionListing page = e.listObjectVersions("b",
                    new ListVersionsQuery(null, null, keyMarker, versionMarker, 3));
            page.versions().forEach(v -> seen.add(v.key() + "@" + v.versionId() + "@" + v.latest()));
            pages++;
            if (!page.truncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        }
        assertThat(pages).isEqualTo(4);
        assertThat(seen).containsExactlyElementsOf(all.stream()
                .map(v -> v.key() + "@" + v.versionId() + "@" + v.latest()).toList());

        VersionListing rolled = e.listObjectVersions("b", new ListVersionsQuery(null, "/", null, null, 1000));
        assertThat(rolled.commonPrefixes()).containsExactly("d/");
        assertThat(rolled.versions()).hasSize(7);
        VersionListing afterA = e.listObjectVersions("b", new ListVersionsQuery(null, null, "a", null, 1000));
        assertThat(afterA.versions().get(0).key()).isEqualTo("b");
        assertThat(afterA.versions().get(0).latest()).isTrue();
        assertThatThrownBy(() -> e.listObjectVersions("b", new ListVersionsQuery(null, null, null, "null", 10)))
                .hasFieldOrPropertyWithValue("code", ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void completeAndCopyMakeVersionsAndCopyReadsTheVersionNamed() {
        e.setBucketVersioning("b", VersioningState.ENABLED);
        ObjectInfo v1 = put("src", "one");
        put("src", "two");
        CopyResult c = e.copyObject("b", "src", v1.versionId(), "b", "dst", PutOptions.of(ObjectMetadata.EMPTY, OWNER));
        assertThat(c.sourceVersionId()).isEqualTo(v1.versionId());
        assertThat(c.object().versionId()).isNotNull();
        assertThat(read("dst", null)).isEqualTo("one");

        UploadInfo up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
        PartInfo p = TestEngines.part(e, "b", "mp", up.uploadId(), 1, TestEngines.bytes(1, 2000));
        put("mp", "plain");
        ObjectInfo done = e.completeUpload("b", "mp", up.uploadId(), List.of(new CompletedPart(1, p.etag(), null)),
                CompleteOptions.NONE);
        assertThat(done.versionId()).isNotNull();
        assertThat(versions("mp")).hasSize(2);
        assertThat(usage().objectBytes()).isEqualTo(3 + 3 + 3 + 5 + 2000);
        assertThat(e.fsck(false).problems()).isEmpty();
    }

    /** A client that retries a Complete (its answer was lost) must learn the same version id, also after a restart. */
    @Test
    void aRepeatedCompleteAnswersTheVersionItMade() {
        e.setBucketVersioning("b", VersioningState.ENABLED);
        UploadInfo up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
        PartInfo p = TestEngines.part(e, "b", "mp", up.uploadId(), 1, TestEngines.bytes(1, 2000));
        List<CompletedPart> parts = List.of(new CompletedPart(1, p.etag(), null));
        ObjectInfo done = e.completeUpload("b", "mp", up.uploadId(), parts, CompleteOptions.NONE);
        put("mp", "later");
        ObjectInfo again = e.completeUpload("b", "mp", up.uploadId(), parts, CompleteOptions.NONE);
        assertThat(again.versionId()).isEqualTo(done.versionId()).isNotNull();
        assertThat(again.etag()).isEqualTo(done.etag());
        e.close();
        e = TestEngines.open(dir);
        assertThat(e.completeUpload("b", "mp", up.uploadId(), parts, CompleteOptions.NONE).versionId())
                .isEqualTo(done.versionId());
    }

    @Test
    void versionsSurviveARestart() {
        e.setBucketVersioning("b", VersioningState.ENABLED);
        ObjectInfo v1 = put("k", "one");
        put("k", "two");
        e.close();
        e = TestEngines.open(dir);
        assertThat(e.bucketVersioning("b")).isEqualTo(VersioningState.ENABLED);
        assertThat(read("k", v1.versionId())).isEqualTo("one");
        assertThat(e.fsck(true).problems()).isEmpty();
    }
}
