package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Object versioning on the wire, through the AWS SDK for Java v2 and raw HTTP against a real node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class VersioningTest {
    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-versioning");
        node = TestNode.start(dir);
        s3 = node.client(true);
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
        TempDirs.delete(dir);
    }

    private void versioning(String bucket, BucketVersioningStatus status) {
        s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(c -> c.status(status)));
    }

    private String get(String bucket, String key, String versionId) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
    }

    @Test
    void versioningStatusStartsEmptyAndCanBeEnabledAndSuspended() {
        s3.createBucket(b -> b.bucket("status"));
        assertThat(s3.getBucketVersioning(r -> r.bucket("status")).status()).isNull();
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("GET", node.port(), "/status?versioning", Map.of()));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).contains("<VersioningConfiguration").doesNotContain("<Status>");
        }
        versioning("status", BucketVersioningStatus.ENABLED);
        assertThat(s3.getBucketVersioning(r -> r.bucket("status")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        versioning("status", BucketVersioningStatus.SUSPENDED);
        assertThat(s3.getBucketVersioning(r -> r.bucket("status")).status())
                .isEqualTo(BucketVersioningStatus.SUSPENDED);
        assertThatThrownBy(() -> s3.putBucketVersioning(r -> r.bucket("status")
                .versioningConfiguration(c -> c.status("Disabled"))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedXML"));
    }

    @Test
    void enabledBucketsIssueVersionIdsAndServeEveryVersion() {
        s3.createBucket(b -> b.bucket("enabled"));
        s3.putObject(r -> r.bucket("enabled").key("k"), RequestBody.fromString("pre"));
        versioning("enabled", BucketVersioningStatus.ENABLED);
        PutObjectResponse v1 = s3.putObject(r -> r.bucket("enabled").key("k"), RequestBody.fromString("one"));
        PutObjectResponse v2 = s3.putObject(r -> r.bucket("enabled").key("k"), RequestBody.fromString("two"));
        assertThat(v1.versionId()).isNotNull().isNotEqualTo(v2.versionId());
        assertThat(get("enabled", "k", null)).isEqualTo("two");
        assertThat(get("enabled", "k", v1.versionId())).isEqualTo("one");
        assertThat(get("enabled", "k", "null")).isEqualTo("pre");
        assertThat(s3.headObject(r -> r.bucket("enabled").key("k").versionId(v1.versionId())).versionId())
                .isEqualTo(v1.versionId());
        assertThat(s3.getObject(r -> r.bucket("enabled").key("k")).response().versionId()).isEqualTo(v2.versionId());

        assertThatThrownBy(() -> get("enabled", "k", "0000000000000001AAAAAAAAAAAAAAAA"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchVersion");
                });

        // copy from a version
        var copy = s3.copyObject(r -> r.sourceBucket("enabled").sourceKey("k").sourceVersionId(v1.versionId())
                .destinationBucket("enabled").destinationKey("copy"));
        assertThat(copy.copySourceVersionId()).isEqualTo(v1.versionId());
        assertThat(copy.versionId()).isNotNull();
        assertThat(get("enabled", "copy", null)).isEqualTo("one");

        // multipart completes with a version id
        String up = s3.createMultipartUpload(r -> r.bucket("enabled").key("mp")).uploadId();
        String etag = s3.uploadPart(r -> r.bucket("enabled").key("mp").uploadId(up).partNumber(1),
                RequestBody.fromString("part")).eTag();
        var done = s3.completeMultipartUpload(r -> r.bucket("enabled").key("mp").uploadId(up)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertThat(done.versionId()).isNotNull();
        assertThat(s3.headObject(r -> r.bucket("enabled").key("mp")).versionId()).isEqualTo(done.versionId());
    }

    @Test
    void deleteMarkersHideTheObjectAndRemovingThemBringsItBack() {
        s3.createBucket(b -> b.bucket("markers"));
        versioning("markers", BucketVersioningStatus.ENABLED);
        PutObjectResponse v1 = s3.putObject(r -> r.bucket("markers").key("k"), RequestBody.fromString("data"));
        DeleteObjectResponse d = s3.deleteObject(r -> r.bucket("markers").key("k"));
        assertThat(d.deleteMarker()).isTrue();
        assertThat(d.versionId()).isNotNull();

        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("GET", node.port(), "/markers/k", Map.of()));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.headers().get("x-amz-delete-marker")).isEqualTo("true");
            assertThat(r.headers().get("x-amz-version-id")).isEqualTo(d.versionId());
            assertThat(r.text()).contains("<Code>NoSuchKey</Code>");
        }
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("GET", node.port(), "/markers/k?versionId=" + d.versionId(), Map.of()));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.headers().get("x-amz-delete-marker")).isEqualTo("true");
            assertThat(r.headers().get("allow")).isEqualTo("DELETE");
            assertThat(r.text()).contains("<Code>MethodNotAllowed</Code>");
        }
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("markers").key("k")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.listObjectsV2(r -> r.bucket("markers")).contents()).isEmpty();

        DeleteObjectResponse gone = s3.deleteObject(r -> r.bucket("markers").key("k").versionId(d.versionId()));
        assertThat(gone.deleteMarker()).isTrue();
        assertThat(gone.versionId()).isEqualTo(d.versionId());
        assertThat(get("markers", "k", null)).isEqualTo("data");

        s3.deleteObject(r -> r.bucket("markers").key("k").versionId(v1.versionId()));
        assertThat(s3.listObjectVersions(r -> r.bucket("markers")).versions()).isEmpty();
        s3.deleteBucket(r -> r.bucket("markers"));
    }

    @Test
    void deleteObjectsCreatesMarkersAndRemovesVersions() {
        s3.createBucket(b -> b.bucket("multi"));
        versioning("multi", BucketVersioningStatus.ENABLED);
        PutObjectResponse a = s3.putObject(r -> r.bucket("multi").key("a"), RequestBody.fromString("a"));
        s3.putObject(r -> r.bucket("multi").key("b"), RequestBody.fromString("b"));
        DeleteObjectsResponse res = s3.deleteObjects(r -> r.bucket("multi").delete(d -> d.objects(
                ObjectIdentifier.builder().key("a").versionId(a.versionId()).build(),
                ObjectIdentifier.builder().key("b").build())));
        assertThat(res.errors()).isEmpty();
        assertThat(res.deleted()).hasSize(2);
        assertThat(res.deleted().get(0).versionId()).isEqualTo(a.versionId());
        assertThat(res.deleted().get(1).deleteMarker()).isTrue();
        assertThat(res.deleted().get(1).deleteMarkerVersionId()).isNotNull();
        ListObjectVersionsResponse v = s3.listObjectVersions(r -> r.bucket("multi"));
        assertThat(v.versions()).singleElement().satisfies(x -> assertThat(x.key()).isEqualTo("b"));
        assertThat(v.deleteMarkers()).singleElement().satisfies(x -> assertThat(x.isLatest()).isTrue());
    }

    @Test
    void suspendedBucketsWriteTheNullVersion() {
        s3.createBucket(b -> b.bucket("suspended"));
        versioning("suspended", BucketVersioningStatus.ENABLED);
        PutObjectResponse v1 = s3.putObject(r -> r.bucket("suspended").key("k"), RequestBody.fromString("kept"));
        versioning("suspended", BucketVersioningStatus.SUSPENDED);
        PutObjectResponse n1 = s3.putObject(r -> r.bucket("suspended").key("k"), RequestBody.fromString("n1"));
        assertThat(n1.versionId()).isNull();
        s3.putObject(r -> r.bucket("suspended").key("k"), RequestBody.fromString("n2"));
        assertThat(s3.headObject(r -> r.bucket("suspended").key("k")).versionId()).isEqualTo("null");
        ListObjectVersionsResponse v = s3.listObjectVersions(r -> r.bucket("suspended"));
        assertThat(v.versions()).extracting(x -> x.versionId()).containsExactly("null", v1.versionId());
        DeleteObjectResponse d = s3.deleteObject(r -> r.bucket("suspended").key("k"));
        assertThat(d.deleteMarker()).isTrue();
        assertThat(d.versionId()).isEqualTo("null");
        assertThat(get("suspended", "k", v1.versionId())).isEqualTo("kept");
    }

    @Test
    void listObjectVersionsPagesWithKeyAndVersionMarkers() {
        s3.createBucket(b -> b.bucket("paging"));
        s3.putObject(r -> r.bucket("paging").key("a"), RequestBody.fromString("0"));
        versioning("paging", BucketVersioningStatus.ENABLED);
        for (String k : List.of("a", "b", "c/x", "c/y")) {
            s3.putObject(r -> r.bucket("paging").key(k), RequestBody.fromString("1"));
            s3.putObject(r -> r.bucket("paging").key(k), RequestBody.fromString("2"));
        }
        s3.deleteObject(r -> r.bucket("paging").key("b"));
        ListObjectVersionsResponse all = s3.listObjectVersions(r -> r.bucket("paging"));
        assertThat(all.versions()).hasSize(9);
        assertThat(all.deleteMarkers()).hasSize(1);
        assertThat(all.versions().get(0).key()).isEqualTo("a");
        assertThat(all.versions().get(0).isLatest()).isTrue();
        assertThat(all.versions().get(2).versionId()).isEqualTo("null");

        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        int pages = 0;
        while (true) {
            String km = keyMarker;
            String vm = versionMarker;
            ListObjectVersionsResponse page = s3.listObjectVersions(r -> r.bucket("paging").maxKeys(3)
                    .keyMarker(km).versionIdMarker(vm));
            page.versions().forEach(x -> seen.add(x.key() + "@" + x.versionId()));
            page.deleteMarkers().forEach(x -> seen.add(x.key() + "@" + x.versionId()));
            pages++;
            if (!page.isTruncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        }
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(10).doesNotHaveDuplicates();

        ListObjectVersionsResponse rolled = s3.listObjectVersions(r -> r.bucket("paging").delimiter("/"));
        assertThat(rolled.commonPrefixes()).singleElement().satisfies(p -> assertThat(p.prefix()).isEqualTo("c/"));
        assertThatThrownBy(() -> s3.listObjectVersions(r -> r.bucket("paging").versionIdMarker("null")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
    }
}
