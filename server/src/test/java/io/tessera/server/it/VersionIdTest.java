package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * In a bucket that never had versioning the only version id there is, is {@code null} (S3's id of an
 * unversioned object): it behaves as no version id, and any other is refused rather than ignored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VersionIdTest {
    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-versions");
        node = TestNode.start(dir);
        s3 = node.client(true);
        s3.createBucket(b -> b.bucket("ver"));
    }

    @BeforeEach
    void object() {
        s3.putObject(r -> r.bucket("ver").key("k"), RequestBody.fromString("live"));
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

    @Test
    void deleteWithAVersionIdIsRefusedAndDeletesNothing() {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("DELETE", node.port(), "/ver/k?versionId=abc", Map.of()));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("<Code>InvalidArgument</Code>")
                    .contains("<Message>Invalid version id specified</Message>")
                    .contains("<ArgumentName>versionId</ArgumentName>")
                    .contains("<ArgumentValue>abc</ArgumentValue>");
        }
        assertInvalidVersion(() -> s3.deleteObject(r -> r.bucket("ver").key("k").versionId("3HL4kqtJlcpXroDTDmJ")));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("ver").key("k")).asUtf8String()).isEqualTo("live");
    }

    @Test
    void getAndHeadWithAVersionIdAreRefused() {
        assertInvalidVersion(() -> s3.getObjectAsBytes(r -> r.bucket("ver").key("k").versionId("abc")));
        assertInvalidVersion(() -> s3.headObject(r -> r.bucket("ver").key("k").versionId("abc")));
    }

    @Test
    void emptyVersionIdIsRefused() {
        for (String query : new String[] {"versionId=", "versionId"}) {
            try (RawHttp c = new RawHttp(node.port())) {
                c.send(RawHttp.signedHead("GET", node.port(), "/ver/k?" + query, Map.of()));
                RawHttp.Response r = c.read(true);
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.text()).contains("<Code>InvalidArgument</Code>")
                        .contains("<Message>Version id cannot be the empty string</Message>");
            }
        }
    }

    @Test
    void nullVersionIdIsTheLiveObject() {
        assertThat(s3.getObjectAsBytes(r -> r.bucket("ver").key("k").versionId("null")).asUtf8String())
                .isEqualTo("live");
        assertThat(s3.headObject(r -> r.bucket("ver").key("k").versionId("null")).contentLength()).isEqualTo(4);
        s3.deleteObject(r -> r.bucket("ver").key("k").versionId("null"));
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("ver").key("k"))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void deleteObjectsRefusesEntriesWithAVersionId() {
        s3.putObject(r -> r.bucket("ver").key("k2"), RequestBody.fromString("other"));
        DeleteObjectsResponse res = s3.deleteObjects(r -> r.bucket("ver").delete(d -> d.objects(
                ObjectIdentifier.builder().key("k").versionId("abc").build(),
                ObjectIdentifier.builder().key("k2").versionId("null").build())));
        assertThat(res.errors()).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("k");
            assertThat(e.versionId()).isEqualTo("abc");
            assertThat(e.code()).isEqualTo("InvalidArgument");
            assertThat(e.message()).isEqualTo("Invalid version id specified");
        });
        assertThat(res.deleted()).singleElement().satisfies(d -> assertThat(d.key()).isEqualTo("k2"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("ver").key("k")).asUtf8String()).isEqualTo("live");
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("ver").key("k2"))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void copySourcesWithAVersionIdAreRefused() {
        assertInvalidVersion(() -> s3.copyObject(r -> r.sourceBucket("ver").sourceKey("k").sourceVersionId("abc")
                .destinationBucket("ver").destinationKey("copy")));
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("ver").key("copy")))
                .isInstanceOf(NoSuchKeyException.class);
        s3.copyObject(r -> r.sourceBucket("ver").sourceKey("k").sourceVersionId("null")
                .destinationBucket("ver").destinationKey("copy"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("ver").key("copy")).asUtf8String()).isEqualTo("live");

        String id = s3.createMultipartUpload(r -> r.bucket("ver").key("mp")).uploadId();
        assertInvalidVersion(() -> s3.uploadPartCopy(r -> r.sourceBucket("ver").sourceKey("k")
                .sourceVersionId("v2").destinationBucket("ver").destinationKey("mp").uploadId(id).partNumber(1)));
        // a versionId anywhere in the copy source's query counts
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/ver/copy2",
                    Map.of("x-amz-copy-source", "ver/k?x=1&versionId=abc", "Content-Length", "0")));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("<Code>InvalidArgument</Code>");
        }
        assertThat(s3.listParts(r -> r.bucket("ver").key("mp").uploadId(id)).parts()).isEmpty();
        s3.abortMultipartUpload(r -> r.bucket("ver").key("mp").uploadId(id));
    }

    private static void assertInvalidVersion(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            if (e.awsErrorDetails().errorCode() != null) { // HEAD answers carry no body
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
            }
        });
    }
}
