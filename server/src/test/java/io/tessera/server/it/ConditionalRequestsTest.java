package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Conditional writes and deletes through the SDK v2 against a real node: If-Match / If-None-Match on
 * PutObject, CopyObject and CompleteMultipartUpload, the conditions of DeleteObject and DeleteObjects,
 * AbortMultipartUpload's initiation time, the 409 of a write that a delete overtook, and writers racing
 * on one key with real threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConditionalRequestsTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-cond");
        node = TestNode.start(dir);
        s3 = node.client(false);
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

    String newBucket() {
        String name = "cond-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    private static void fails(Runnable r, int status, String code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        });
    }

    private String text(String b, String k) {
        return s3.getObjectAsBytes(r -> r.bucket(b).key(k)).asUtf8String();
    }

    private String put(String b, String k, String body) {
        return s3.putObject(r -> r.bucket(b).key(k), RequestBody.fromString(body)).eTag();
    }

    @Test
    void putWithEveryFormOfIfMatchAndIfNoneMatch() {
        String b = newBucket();
        String etag = put(b, "k", "one");
        fails(() -> s3.putObject(r -> r.bucket(b).key("k").ifNoneMatch(etag), RequestBody.fromString("x")),
                412, "PreconditionFailed");
        fails(() -> s3.putObject(r -> r.bucket(b).key("k").ifNoneMatch("*"), RequestBody.fromString("x")),
                412, "PreconditionFailed");
        fails(() -> s3.putObject(r -> r.bucket(b).key("k").ifMatch("\"0123abcd\""), RequestBody.fromString("x")),
                412, "PreconditionFailed");
        fails(() -> s3.putObject(r -> r.bucket(b).key("none").ifMatch("*"), RequestBody.fromString("x")),
                404, "NoSuchKey");
        fails(() -> s3.putObject(r -> r.bucket(b).key("none").ifMatch(etag), RequestBody.fromString("x")),
                404, "NoSuchKey");
        assertThat(text(b, "k")).isEqualTo("one");
        String two = s3.putObject(r -> r.bucket(b).key("k").ifNoneMatch("\"someone-else\""),
                RequestBody.fromString("two")).eTag();
        s3.putObject(r -> r.bucket(b).key("k").ifMatch("*"), RequestBody.fromString("three"));
        fails(() -> s3.putObject(r -> r.bucket(b).key("k").ifMatch(two), RequestBody.fromString("x")),
                412, "PreconditionFailed");
        // the AWS CLI sends the ETag unquoted
        String three = s3.headObject(r -> r.bucket(b).key("k")).eTag();
        s3.putObject(r -> r.bucket(b).key("k").ifMatch(three.replace("\"", "")), RequestBody.fromString("four"));
        assertThat(text(b, "k")).isEqualTo("four");
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).keyCount()).isEqualTo(1);
    }

    @Test
    void copyDestinationConditions() {
        String b = newBucket();
        put(b, "src", "source bytes");
        String dst = put(b, "dst", "old");
        fails(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("dst").ifNoneMatch("*")), 412, "PreconditionFailed");
        fails(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("dst").ifMatch("\"00\"")), 412, "PreconditionFailed");
        fails(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("new").ifMatch("*")), 404, "NoSuchKey");
        assertThat(text(b, "dst")).isEqualTo("old");
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("dst")
                .ifMatch(dst));
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("new")
                .ifNoneMatch("*"));
        assertThat(text(b, "dst")).isEqualTo("source bytes");
        assertThat(text(b, "new")).isEqualTo("source bytes");
    }

    private CompletedPart uploadPart(String b, String k, String id, int n, byte[] body) {
        String etag = s3.uploadPart(r -> r.bucket(b).key(k).uploadId(id).partNumber(n), RequestBody.fromBytes(body))
                .eTag();
        return CompletedPart.builder().partNumber(n).eTag(etag).build();
    }

    @Test
    void completeConditionsAndTheConflictOfADeleteDuringTheUpload() {
        String b = newBucket();
        byte[] body = ObjectOperationsContract.bytes(3000, 5);

        // a key without an object: If-Match is NoSuchKey, the upload survives and completes
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        CompletedPart p = uploadPart(b, "k", id, 1, body);
        fails(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).ifMatch("*")
                .multipartUpload(m -> m.parts(p))), 404, "NoSuchKey");
        s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(p)));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("k")).asByteArray()).isEqualTo(body);

        // the key held an object when the upload began and lost it to a delete before Complete: 409
        String id2 = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        CompletedPart p2 = uploadPart(b, "k", id2, 1, body);
        fails(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id2).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(p2))), 412, "PreconditionFailed");
        s3.deleteObject(r -> r.bucket(b).key("k"));
        assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id2)
                .ifNoneMatch("*").multipartUpload(m -> m.parts(p2)))).isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ConditionalRequestConflict");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("CreateMultipartUpload");
                });
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).keyCount()).isZero();
        // as S3 advises: a new upload, created while the key is empty, completes
        String id3 = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        CompletedPart p3 = uploadPart(b, "k", id3, 1, body);
        s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id3).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(p3)));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("k")).asByteArray()).isEqualTo(body);
    }

    /**
     * A PutObject with If-None-Match: * whose key held an object when its body began, and that a delete
     * overtook while the body was streaming: 409 ConditionalRequestConflict, and nothing is written.
     * The node answers {@code 100 Continue} only once the write has begun, which orders the delete.
     */
    @Test
    void aDeleteOvertakingAnIfNoneMatchPutIsAConflict() {
        String b = newBucket();
        put(b, "k", "old");
        byte[] body = "new body".getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("If-None-Match", "*");
        h.put("Expect", "100-continue");
        h.put("Content-Length", Integer.toString(body.length));
        try (RawHttp http = new RawHttp(node.port())) {
            http.send(RawHttp.signedHead("PUT", node.port(), "/" + b + "/k", h));
            assertThat(http.read(false).status()).isEqualTo(100);
            s3.deleteObject(r -> r.bucket(b).key("k"));
            http.send(body);
            RawHttp.Response r = http.read(true);
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.text()).contains("<Code>ConditionalRequestConflict</Code>");
        }
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).keyCount()).isZero();
        // retried, the write is decided afresh and wins
        s3.putObject(r -> r.bucket(b).key("k").ifNoneMatch("*"), RequestBody.fromBytes(body));
        assertThat(text(b, "k")).isEqualTo("new body");
    }

    @Test
    void deleteObjectConditions() {
        String b = newBucket();
        String etag = put(b, "k", "12345");
        HeadObjectResponse head = s3.headObject(r -> r.bucket(b).key("k"));
        Instant modified = head.lastModified();
        fails(() -> s3.deleteObject(r -> r.bucket(b).key("k").ifMatch("\"00\"")), 412, "PreconditionFailed");
        fails(() -> s3.deleteObject(r -> r.bucket(b).key("k").ifMatchSize(4L)), 412, "PreconditionFailed");
        fails(() -> s3.deleteObject(r -> r.bucket(b).key("k").ifMatchLastModifiedTime(modified.minusSeconds(60))),
                412, "PreconditionFailed");
        fails(() -> s3.deleteObject(r -> r.bucket(b).key("k").ifMatch(etag).ifMatchSize(6L)), 412,
                "PreconditionFailed");
        fails(() -> s3.deleteObject(r -> r.bucket(b).key("k").versionId("null").ifMatch(etag)), 501,
                "NotImplemented");
        assertThat(text(b, "k")).isEqualTo("12345");

        s3.deleteObject(r -> r.bucket(b).key("k").ifMatch(etag).ifMatchSize(5L).ifMatchLastModifiedTime(modified));
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).keyCount()).isZero();
        // no object: If-Match is NoSuchKey (for * too); size and time alone are no obstacle
        fails(() -> s3.deleteObject(r -> r.bucket(b).key("k").ifMatch(etag)), 404, "NoSuchKey");
        fails(() -> s3.deleteObject(r -> r.bucket(b).key("k").ifMatch("*")), 404, "NoSuchKey");
        assertThat(s3.deleteObject(r -> r.bucket(b).key("k").ifMatchSize(5L)).sdkHttpResponse().statusCode())
                .isEqualTo(204);
        put(b, "k", "again");
        s3.deleteObject(r -> r.bucket(b).key("k").ifMatch("*"));
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).keyCount()).isZero();
    }

    @Test
    void deleteObjectsConditionsAreReportedPerKey() {
        String b = newBucket();
        String ea = put(b, "a", "aaa");
        put(b, "b", "bbbb");
        put(b, "c", "c");
        Instant modifiedC = s3.headObject(r -> r.bucket(b).key("c")).lastModified();
        put(b, "d", "dd");
        DeleteObjectsResponse res = s3.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(
                ObjectIdentifier.builder().key("a").eTag(ea).build(),
                ObjectIdentifier.builder().key("b").eTag("\"ffff\"").build(),
                ObjectIdentifier.builder().key("c").size(1L).lastModifiedTime(modifiedC).build(),
                ObjectIdentifier.builder().key("d").size(3L).build(),
                ObjectIdentifier.builder().key("gone").eTag(ea).build())));
        assertThat(res.deleted()).extracting(dl -> dl.key()).containsExactlyInAnyOrder("a", "c");
        assertThat(res.errors()).extracting(S3Error::key, S3Error::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("b", "PreconditionFailed"),
                org.assertj.core.groups.Tuple.tuple("d", "PreconditionFailed"),
                org.assertj.core.groups.Tuple.tuple("gone", "NoSuchKey"));
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).contents()).extracting(o -> o.key())
                .containsExactly("b", "d");
    }

    @Test
    void abortChecksTheInitiationTime() {
        String b = newBucket();
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        Instant initiated = s3.listMultipartUploads(r -> r.bucket(b)).uploads().get(0).initiated();
        fails(() -> s3.abortMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .ifMatchInitiatedTime(initiated.minusSeconds(3600))), 412, "PreconditionFailed");
        assertThat(s3.listMultipartUploads(r -> r.bucket(b)).uploads()).hasSize(1);
        assertThat(s3.abortMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).ifMatchInitiatedTime(initiated))
                .sdkHttpResponse().statusCode()).isEqualTo(204);
        assertThat(s3.listMultipartUploads(r -> r.bucket(b)).uploads()).isEmpty();
        // an upload that no longer exists: 204 with the condition, NoSuchUpload without it
        assertThat(s3.abortMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).ifMatchInitiatedTime(initiated))
                .sdkHttpResponse().statusCode()).isEqualTo(204);
        fails(() -> s3.abortMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)), 404, "NoSuchUpload");
    }

    /**
     * N clients do read-modify-write on one counter object with If-Match: in each round all read the
     * same version, then all write at once; exactly one wins, the others get 412, no increment is lost.
     */
    @Test
    void ifMatchReadModifyWriteRaceLosesNoUpdate() throws Exception {
        String b = newBucket();
        put(b, "counter", "0");
        int writers = 4;
        int rounds = 20;
        CyclicBarrier read = new CyclicBarrier(writers);
        CyclicBarrier written = new CyclicBarrier(writers);
        AtomicIntegerArray wins = new AtomicIntegerArray(rounds);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Integer>>> fs = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                fs.add(pool.submit(() -> {
                    List<Integer> lost = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        ResponseBytes<GetObjectResponse> seen = s3.getObjectAsBytes(r -> r.bucket(b).key("counter"));
                        int value = Integer.parseInt(seen.asUtf8String());
                        read.await(20, TimeUnit.SECONDS);
                        try {
                            s3.putObject(r -> r.bucket(b).key("counter").ifMatch(seen.response().eTag()),
                                    RequestBody.fromString(Integer.toString(value + 1)));
                            wins.incrementAndGet(round);
                        } catch (S3Exception e) {
                            lost.add(e.statusCode());
                        }
                        written.await(20, TimeUnit.SECONDS);
                    }
                    return lost;
                }));
            }
            List<Integer> lost = new ArrayList<>();
            for (Future<List<Integer>> f : fs) {
                lost.addAll(f.get(100, TimeUnit.SECONDS));
            }
            for (int round = 0; round < rounds; round++) {
                assertThat(wins.get(round)).as("winners of round %d", round).isEqualTo(1);
            }
            assertThat(lost).hasSize((writers - 1) * rounds).containsOnly(412);
            assertThat(text(b, "counter")).isEqualTo(Integer.toString(rounds));
        } finally {
            pool.shutdownNow();
        }
    }
}
