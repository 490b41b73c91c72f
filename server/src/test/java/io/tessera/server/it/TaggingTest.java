package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Object and bucket tags through a real node with the SDK: on writes ({@code x-amz-tagging} on PutObject,
 * CreateMultipartUpload, CopyObject with its directive), through {@code ?tagging}, counted on GET and
 * HEAD, and S3's limits. Changing an object's tags leaves its bytes, ETag and date alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaggingTest {
    private static final String B = "tags";
    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-tags");
        node = TestNode.start(dir);
        s3 = node.client(false);
        s3.createBucket(b -> b.bucket(B));
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

    private Map<String, String> tags(String key) {
        return s3.getObjectTagging(r -> r.bucket(B).key(key)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private List<String> tagKeys(String key) {
        return s3.getObjectTagging(r -> r.bucket(B).key(key)).tagSet().stream().map(Tag::key).toList();
    }

    private static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    private static S3Exception failure(Runnable r) {
        return catchThrowableOfType(S3Exception.class, r::run);
    }

    @Test
    void tagsOnPutAreReadBackSortedAndCounted() {
        s3.putObject(r -> r.bucket(B).key("put").tagging("foo=bar&bar&sp%20ace=a+b&k=v%3D1"),
                RequestBody.fromString("x"));
        assertThat(tagKeys("put")).containsExactly("bar", "foo", "k", "sp ace");
        assertThat(tags("put")).containsEntry("bar", "").containsEntry("sp ace", "a b").containsEntry("k", "v=1");
        assertThat(s3.headObject(r -> r.bucket(B).key("put")).tagCount()).isEqualTo(4);
        Integer getCount = s3.getObject(r -> r.bucket(B).key("put"), (resp, in) -> resp.tagCount());
        assertThat(getCount).isEqualTo(4);

        s3.putObject(r -> r.bucket(B).key("plain"), RequestBody.fromString("x"));
        assertThat(s3.headObject(r -> r.bucket(B).key("plain")).tagCount()).isNull();
        assertThat(tags("plain")).isEmpty();
    }

    @Test
    void putAndDeleteObjectTaggingChangeTagsOnly() {
        byte[] body = new byte[100_000];
        new java.util.Random(3).nextBytes(body);
        s3.putObject(r -> r.bucket(B).key("swap").tagging("old=1"), RequestBody.fromBytes(body));
        HeadObjectResponse before = s3.headObject(r -> r.bucket(B).key("swap"));
        long segmentBytes = node.segmentBytes();
        long live = node.liveBytes();

        s3.putObjectTagging(r -> r.bucket(B).key("swap").tagging(t -> t.tagSet(tag("a", "1"), tag("b", "2"))));

        assertThat(tags("swap")).isEqualTo(Map.of("a", "1", "b", "2"));
        HeadObjectResponse after = s3.headObject(r -> r.bucket(B).key("swap"));
        assertThat(after.eTag()).isEqualTo(before.eTag());
        assertThat(after.lastModified()).isEqualTo(before.lastModified());
        assertThat(after.tagCount()).isEqualTo(2);
        assertThat(node.segmentBytes()).as("no byte rewritten").isEqualTo(segmentBytes);
        assertThat(node.liveBytes()).isEqualTo(live);
        assertThat(s3.getObjectAsBytes(r -> r.bucket(B).key("swap")).asByteArray()).isEqualTo(body);

        s3.deleteObjectTagging(r -> r.bucket(B).key("swap"));
        assertThat(tags("swap")).isEmpty();
        assertThat(s3.headObject(r -> r.bucket(B).key("swap")).tagCount()).isNull();
        assertThat(s3.headObject(r -> r.bucket(B).key("swap")).eTag()).isEqualTo(before.eTag());
    }

    @Test
    void multipartUploadsApplyTheirTagsAtComplete() {
        String id = s3.createMultipartUpload(r -> r.bucket(B).key("mpu").tagging("stage=raw&team=a")).uploadId();
        String e1 = s3.uploadPart(r -> r.bucket(B).key("mpu").uploadId(id).partNumber(1),
                RequestBody.fromBytes(new byte[(int) TestNode.MIN_PART])).eTag();
        String e2 = s3.uploadPart(r -> r.bucket(B).key("mpu").uploadId(id).partNumber(2),
                RequestBody.fromString("end")).eTag();
        s3.completeMultipartUpload(r -> r.bucket(B).key("mpu").uploadId(id).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(),
                CompletedPart.builder().partNumber(2).eTag(e2).build())));
        assertThat(tags("mpu")).isEqualTo(Map.of("stage", "raw", "team", "a"));
        assertThat(s3.headObject(r -> r.bucket(B).key("mpu")).tagCount()).isEqualTo(2);
    }

    @Test
    void copiesKeepOrReplaceTagsByDirective() {
        s3.putObject(r -> r.bucket(B).key("src").tagging("from=src").metadata(Map.of("m", "1")),
                RequestBody.fromString("payload"));
        s3.copyObject(r -> r.sourceBucket(B).sourceKey("src").destinationBucket(B).destinationKey("copy")
                .tagging("ignored=1"));
        assertThat(tags("copy")).isEqualTo(Map.of("from", "src"));

        s3.copyObject(r -> r.sourceBucket(B).sourceKey("src").destinationBucket(B).destinationKey("replaced")
                .taggingDirective(TaggingDirective.REPLACE).tagging("new=tag"));
        assertThat(tags("replaced")).isEqualTo(Map.of("new", "tag"));
        assertThat(s3.headObject(r -> r.bucket(B).key("replaced")).metadata()).containsEntry("m", "1");

        s3.copyObject(r -> r.sourceBucket(B).sourceKey("src").destinationBucket(B).destinationKey("none")
                .taggingDirective(TaggingDirective.REPLACE));
        assertThat(tags("none")).isEmpty();

        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/" + B + "/bad", Map.of("x-amz-copy-source", "/" + B + "/src",
                    "x-amz-tagging-directive", "MERGE")));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("<Code>InvalidArgument</Code>").contains("Unknown tagging directive.");
        }
    }

    @Test
    void s3LimitsOnTagsAreEnforcedAndAFailedPutChangesNothing() {
        s3.putObject(r -> r.bucket(B).key("lim").tagging("keep=me"), RequestBody.fromString("x"));
        List<Tag> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(tag("k" + i, "v"));
        }
        S3Exception e = failure(() -> s3.putObjectTagging(r -> r.bucket(B).key("lim").tagging(t -> t.tagSet(eleven))));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadRequest");

        for (Tag bad : List.of(tag("a?b", "v"), tag("k", "v*"), tag("x".repeat(129), "v"), tag("k", "v".repeat(257)),
                tag("", "v"), tag("aws:reserved", "v"))) {
            e = failure(() -> s3.putObjectTagging(r -> r.bucket(B).key("lim").tagging(t -> t.tagSet(bad))));
            assertThat(e.awsErrorDetails().errorCode()).as(bad.toString()).isEqualTo("InvalidTag");
        }
        e = failure(() -> s3.putObjectTagging(r -> r.bucket(B).key("lim")
                .tagging(t -> t.tagSet(tag("dup", "1"), tag("dup", "2")))));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidTag");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot provide multiple Tags with the same key");
        assertThat(tags("lim")).isEqualTo(Map.of("keep", "me"));

        // lengths count Unicode characters: 128 letters outside the BMP are 256 UTF-16 units, and allowed
        String script = "\uD835\uDC9C".repeat(128);
        String cjk = "\u6F22".repeat(256);
        s3.putObjectTagging(r -> r.bucket(B).key("lim").tagging(t -> t.tagSet(tag(script, cjk),
                tag("ok _.:/=+-@ 9", "é"))));
        assertThat(tags("lim")).containsEntry(script, cjk).containsEntry("ok _.:/=+-@ 9", "é");

        for (String header : new String[] {"a=1&a=2", "=v", "a=%zz"}) {
            e = failure(() -> s3.putObject(r -> r.bucket(B).key("hdr").tagging(header), RequestBody.fromString("x")));
            assertThat(e.awsErrorDetails().errorCode()).as(header).isEqualTo("InvalidArgument");
        }
        e = failure(() -> s3.putObject(r -> r.bucket(B).key("hdr").tagging("a=b!"), RequestBody.fromString("x")));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidTag");
        assertThat(catchThrowableOfType(S3Exception.class, () -> s3.headObject(r -> r.bucket(B).key("hdr")))
                .statusCode()).as("refused writes store nothing").isEqualTo(404);
    }

    @Test
    void taggingOfAMissingKeyIsNoSuchKey() {
        for (Runnable r : List.<Runnable>of(
                () -> s3.getObjectTagging(q -> q.bucket(B).key("missing")),
                () -> s3.putObjectTagging(q -> q.bucket(B).key("missing").tagging(t -> t.tagSet(tag("a", "b")))),
                () -> s3.deleteObjectTagging(q -> q.bucket(B).key("missing")))) {
            S3Exception e = failure(r);
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
        }
        assertThat(catchThrowableOfType(S3Exception.class, () -> s3.headObject(q -> q.bucket(B).key("missing")))
                .statusCode()).isEqualTo(404);
    }

    @Test
    void putTaggingNeedsAnIntegrityHeader() throws Exception {
        s3.putObject(r -> r.bucket(B).key("raw"), RequestBody.fromString("x"));
        String xml = "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>";
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/" + B + "/raw?tagging",
                    Map.of("Content-Length", Integer.toString(body.length))));
            c.send(body);
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("<Code>InvalidRequest</Code>")
                    .contains("Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
        }
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/" + B + "/raw?tagging",
                    Map.of("Content-Length", Integer.toString(body.length), "Content-MD5", md5)));
            c.send(body);
            assertThat(c.read(true).status()).isEqualTo(200);
        }
        assertThat(tags("raw")).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void bucketTagsLiveInTheBucket() {
        s3.createBucket(b -> b.bucket("tagged-bucket"));
        S3Exception e = failure(() -> s3.getBucketTagging(r -> r.bucket("tagged-bucket")));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchTagSet");

        s3.putBucketTagging(r -> r.bucket("tagged-bucket").tagging(t -> t.tagSet(tag("env", "prod"),
                tag("cost center", "42"))));
        assertThat(s3.getBucketTagging(r -> r.bucket("tagged-bucket")).tagSet())
                .containsExactly(tag("cost center", "42"), tag("env", "prod"));

        List<Tag> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add(tag("k" + i, "v"));
        }
        e = failure(() -> s3.putBucketTagging(r -> r.bucket("tagged-bucket").tagging(t -> t.tagSet(fiftyOne))));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadRequest");
        s3.putBucketTagging(r -> r.bucket("tagged-bucket").tagging(t -> t.tagSet(fiftyOne.subList(0, 50))));
        assertThat(s3.getBucketTagging(r -> r.bucket("tagged-bucket")).tagSet()).hasSize(50);

        s3.deleteBucketTagging(r -> r.bucket("tagged-bucket"));
        e = failure(() -> s3.getBucketTagging(r -> r.bucket("tagged-bucket")));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchTagSet");

        e = failure(() -> s3.getBucketTagging(r -> r.bucket("no-such-bucket")));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket");
    }
}
