package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.route.Operation;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code x-amz-expected-bucket-owner} (and a copy's {@code x-amz-source-expected-bucket-owner}) on every
 * operation that addresses a bucket: 403 AccessDenied when it names another owner, and nothing
 * changes; the right owner is accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExpectedBucketOwnerTest {
    private static final String WRONG = TestNode.OTHER_OWNER_ID;
    private static final String RIGHT = TestNode.OWNER_ID;
    private static final String B = "owned";

    Path dir;
    TestNode node;
    S3Client s3;
    String uploadId;
    String partEtag;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-owner");
        node = TestNode.start(dir);
        s3 = node.client(false);
        s3.createBucket(r -> r.bucket(B));
        s3.putObject(r -> r.bucket(B).key("obj"), RequestBody.fromString("object body"));
        uploadId = s3.createMultipartUpload(r -> r.bucket(B).key("mp")).uploadId();
        partEtag = s3.uploadPart(r -> r.bucket(B).key("mp").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("part")).eTag();
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

    /** Each operation, sent with a wrong expected owner (for copies: on the destination). */
    private Map<Operation, Runnable> wrongOwnerRequests() {
        Map<Operation, Runnable> ops = new EnumMap<>(Operation.class);
        ops.put(Operation.HeadBucket, () -> s3.headBucket(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.DeleteBucket, () -> s3.deleteBucket(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.GetBucketLocation, () -> s3.getBucketLocation(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.ListObjects, () -> s3.listObjects(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.ListObjectsV2, () -> s3.listObjectsV2(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.ListMultipartUploads,
                () -> s3.listMultipartUploads(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.DeleteObjects, () -> s3.deleteObjects(r -> r.bucket(B).expectedBucketOwner(WRONG)
                .delete(d -> d.objects(ObjectIdentifier.builder().key("obj").build()))));
        ops.put(Operation.PutObject, () -> s3.putObject(r -> r.bucket(B).key("obj").expectedBucketOwner(WRONG),
                RequestBody.fromString("overwritten")));
        ops.put(Operation.CopyObject, () -> s3.copyObject(r -> r.sourceBucket(B).sourceKey("obj")
                .destinationBucket(B).destinationKey("copy").expectedBucketOwner(WRONG)));
        ops.put(Operation.GetObject, () -> s3.getObjectAsBytes(r -> r.bucket(B).key("obj").expectedBucketOwner(WRONG)));
        ops.put(Operation.HeadObject, () -> s3.headObject(r -> r.bucket(B).key("obj").expectedBucketOwner(WRONG)));
        ops.put(Operation.GetObjectAttributes, () -> s3.getObjectAttributes(r -> r.bucket(B).key("obj")
                .objectAttributes(ObjectAttributes.E_TAG).expectedBucketOwner(WRONG)));
        ops.put(Operation.DeleteObject, () -> s3.deleteObject(r -> r.bucket(B).key("obj").expectedBucketOwner(WRONG)));
        ops.put(Operation.CreateMultipartUpload,
                () -> s3.createMultipartUpload(r -> r.bucket(B).key("mp2").expectedBucketOwner(WRONG)));
        ops.put(Operation.UploadPart, () -> s3.uploadPart(r -> r.bucket(B).key("mp").uploadId(uploadId)
                .partNumber(2).expectedBucketOwner(WRONG), RequestBody.fromString("p2")));
        ops.put(Operation.UploadPartCopy, () -> s3.uploadPartCopy(r -> r.sourceBucket(B).sourceKey("obj")
                .destinationBucket(B).destinationKey("mp").uploadId(uploadId).partNumber(3)
                .expectedBucketOwner(WRONG)));
        ops.put(Operation.CompleteMultipartUpload, () -> s3.completeMultipartUpload(r -> r.bucket(B).key("mp")
                .uploadId(uploadId).expectedBucketOwner(WRONG)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(partEtag)))));
        ops.put(Operation.AbortMultipartUpload, () -> s3.abortMultipartUpload(r -> r.bucket(B).key("mp")
                .uploadId(uploadId).expectedBucketOwner(WRONG)));
        ops.put(Operation.ListParts, () -> s3.listParts(r -> r.bucket(B).key("mp").uploadId(uploadId)
                .expectedBucketOwner(WRONG)));
        ops.put(Operation.PutBucketLifecycleConfiguration, () -> s3.putBucketLifecycleConfiguration(r -> r.bucket(B)
                .expectedBucketOwner(WRONG).lifecycleConfiguration(c -> c.rules(rule -> rule.id("r")
                        .status("Enabled").filter(f -> f.prefix("tmp/"))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1))))));
        ops.put(Operation.GetBucketLifecycleConfiguration, () -> s3.getBucketLifecycleConfiguration(r -> r.bucket(B)
                .expectedBucketOwner(WRONG)));
        ops.put(Operation.DeleteBucketLifecycle, () -> s3.deleteBucketLifecycle(r -> r.bucket(B)
                .expectedBucketOwner(WRONG)));
        ops.put(Operation.GetObjectTagging, () -> s3.getObjectTagging(r -> r.bucket(B).key("obj")
                .expectedBucketOwner(WRONG)));
        ops.put(Operation.PutObjectTagging, () -> s3.putObjectTagging(r -> r.bucket(B).key("obj")
                .expectedBucketOwner(WRONG).tagging(t -> t.tagSet(tag -> tag.key("k").value("v")))));
        ops.put(Operation.DeleteObjectTagging, () -> s3.deleteObjectTagging(r -> r.bucket(B).key("obj")
                .expectedBucketOwner(WRONG)));
        ops.put(Operation.GetBucketTagging, () -> s3.getBucketTagging(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.PutBucketTagging, () -> s3.putBucketTagging(r -> r.bucket(B).expectedBucketOwner(WRONG)
                .tagging(t -> t.tagSet(tag -> tag.key("k").value("v")))));
        ops.put(Operation.DeleteBucketTagging, () -> s3.deleteBucketTagging(r -> r.bucket(B)
                .expectedBucketOwner(WRONG)));
        ops.put(Operation.GetBucketCors, () -> s3.getBucketCors(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.PutBucketCors, () -> s3.putBucketCors(r -> r.bucket(B).expectedBucketOwner(WRONG)
                .corsConfiguration(c -> c.corsRules(rule -> rule.allowedMethods("GET").allowedOrigins("*")))));
        ops.put(Operation.DeleteBucketCors, () -> s3.deleteBucketCors(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.GetBucketAcl, () -> s3.getBucketAcl(r -> r.bucket(B).expectedBucketOwner(WRONG)));
        ops.put(Operation.PutBucketAcl, () -> s3.putBucketAcl(r -> r.bucket(B).expectedBucketOwner(WRONG)
                .acl("private")));
        ops.put(Operation.GetObjectAcl, () -> s3.getObjectAcl(r -> r.bucket(B).key("obj").expectedBucketOwner(WRONG)));
        ops.put(Operation.PutObjectAcl, () -> s3.putObjectAcl(r -> r.bucket(B).key("obj").expectedBucketOwner(WRONG)
                .acl("private")));
        ops.put(Operation.PutBucketVersioning, () -> s3.putBucketVersioning(r -> r.bucket(B)
                .expectedBucketOwner(WRONG).versioningConfiguration(c -> c.status("Enabled"))));
        ops.put(Operation.GetBucketVersioning, () -> s3.getBucketVersioning(r -> r.bucket(B)
                .expectedBucketOwner(WRONG)));
        ops.put(Operation.ListObjectVersions, () -> s3.listObjectVersions(r -> r.bucket(B)
                .expectedBucketOwner(WRONG)));
        return ops;
    }

    @Test
    void everyBucketOperationRefusesAnotherExpectedOwner() {
        Map<Operation, Runnable> ops = wrongOwnerRequests();
        // ListBuckets names no bucket; CreateBucket's bucket has no owner yet; preflights and form uploads
        // are not signed requests (S3 takes no expected owner from them)
        EnumSet<Operation> all = EnumSet.allOf(Operation.class);
        all.removeAll(EnumSet.of(Operation.ListBuckets, Operation.CreateBucket, Operation.PreflightBucket,
                Operation.PreflightObject, Operation.PostObject));
        assertThat(ops.keySet()).as("every operation on a bucket is covered").isEqualTo(all);
        ops.forEach((op, request) -> assertThatThrownBy(request::run).as(op.name())
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).as(op.name()).isEqualTo(403);
                    if (op != Operation.HeadBucket && op != Operation.HeadObject) {
                        assertThat(e.awsErrorDetails().errorCode()).as(op.name()).isEqualTo("AccessDenied");
                    }
                }));
        // nothing changed
        assertThat(s3.getObjectAsBytes(r -> r.bucket(B).key("obj")).asUtf8String()).isEqualTo("object body");
        assertThat(s3.listObjectsV2(r -> r.bucket(B)).contents()).extracting(o -> o.key()).containsExactly("obj");
        assertThat(s3.listParts(r -> r.bucket(B).key("mp").uploadId(uploadId)).parts()).hasSize(1);
        assertThat(s3.listMultipartUploads(r -> r.bucket(B)).uploads()).hasSize(1);
    }

    @Test
    void copiesCheckTheSourceBucketsExpectedOwner() {
        assertThatThrownBy(() -> s3.copyObject(r -> r.sourceBucket(B).sourceKey("obj").destinationBucket(B)
                .destinationKey("copy").expectedBucketOwner(RIGHT).expectedSourceBucketOwner(WRONG)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThatThrownBy(() -> s3.uploadPartCopy(r -> r.sourceBucket(B).sourceKey("obj").destinationBucket(B)
                .destinationKey("mp").uploadId(uploadId).partNumber(3).expectedSourceBucketOwner(WRONG)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThat(s3.listObjectsV2(r -> r.bucket(B)).contents()).extracting(o -> o.key()).doesNotContain("copy");

        s3.copyObject(r -> r.sourceBucket(B).sourceKey("obj").destinationBucket(B).destinationKey("copy")
                .expectedBucketOwner(RIGHT).expectedSourceBucketOwner(RIGHT));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(B).key("copy").expectedBucketOwner(RIGHT)).asUtf8String())
                .isEqualTo("object body");
        s3.deleteObject(r -> r.bucket(B).key("copy").expectedBucketOwner(RIGHT));
        assertThat(s3.headBucket(r -> r.bucket(B).expectedBucketOwner(RIGHT)).sdkHttpResponse().statusCode())
                .isEqualTo(200);
    }
}
