package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every single-object and bucket operation through the AWS SDK v2 sync client against a real node.
 * Run twice by its subclasses: with the SDK's default checksums (aws-chunked bodies with a CRC32
 * trailer) and with checksums only when required.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ObjectOperationsContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    Path dir;
    TestNode node;
    S3Client s3;

    abstract boolean checksumsWhenRequired();

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-it");
        node = TestNode.start(dir);
        s3 = node.client(checksumsWhenRequired());
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
        String name = "bkt-" + (checksumsWhenRequired() ? "r" : "d") + "-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    // ---- buckets ----

    @Test
    void bucketLifecycle() {
        String b = newBucket();
        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains(b);
        assertThat(s3.listBuckets().owner().id()).isEqualTo(TestNode.OWNER_ID);
        assertThat(s3.listBuckets().owner().displayName()).isEqualTo(TestNode.OWNER_NAME);
        assertThat(s3.headBucket(r -> r.bucket(b)).sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(s3.getBucketLocation(r -> r.bucket(b)).locationConstraintAsString()).isNullOrEmpty();
        assertThatThrownBy(() -> s3.createBucket(r -> r.bucket(b)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyOwnedByYou");
                });
        s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.deleteBucket(r -> r.bucket(b)))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty"));
        s3.deleteObject(r -> r.bucket(b).key("k"));
        s3.deleteBucket(r -> r.bucket(b));
        assertThatThrownBy(() -> s3.headBucket(r -> r.bucket(b)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.listObjectsV2(r -> r.bucket(b))).isInstanceOf(NoSuchBucketException.class);
        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).doesNotContain(b);
    }

    @Test
    void invalidBucketNameIsRefused() {
        assertThatThrownBy(() -> s3.createBucket(r -> r.bucket("xn--reserved-prefix")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidBucketName"));
    }

    @Test
    void otherOwnersBucketIsDenied() {
        String b = newBucket();
        try (S3Client other = node.client(TestNode.OTHER_ACCESS_KEY, TestNode.OTHER_SECRET_KEY,
                checksumsWhenRequired())) {
            assertThatThrownBy(() -> other.listObjectsV2(r -> r.bucket(b)))
                    .isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
            assertThat(other.listBuckets().buckets()).extracting(Bucket::name).doesNotContain(b);
        }
    }

    // ---- objects ----

    @Test
    void putGetHeadDeleteRoundTripWithMetadata() throws Exception {
        String b = newBucket();
        byte[] body = bytes(300_000, 1);
        PutObjectResponse put = s3.putObject(r -> r.bucket(b).key("dir/a b+c.bin").contentType("image/png")
                .cacheControl("max-age=60").contentDisposition("attachment; filename=\"x.png\"")
                .contentLanguage("de").contentEncoding("identity")
                .metadata(Map.of("Color", "blue", "n", "1")), RequestBody.fromBytes(body));
        assertThat(put.eTag()).isEqualTo("\"" + md5Hex(body) + "\"");

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(b).key("dir/a b+c.bin"));
        assertThat(got.asByteArray()).isEqualTo(body);
        GetObjectResponse g = got.response();
        assertThat(g.eTag()).isEqualTo(put.eTag());
        assertThat(g.contentType()).isEqualTo("image/png");
        assertThat(g.cacheControl()).isEqualTo("max-age=60");
        assertThat(g.contentDisposition()).isEqualTo("attachment; filename=\"x.png\"");
        assertThat(g.contentLanguage()).isEqualTo("de");
        assertThat(g.contentEncoding()).isEqualTo("identity");
        assertThat(g.metadata()).containsEntry("color", "blue").containsEntry("n", "1");
        assertThat(g.contentLength()).isEqualTo(body.length);
        assertThat(g.acceptRanges()).isEqualTo("bytes");
        assertThat(g.responseMetadata().requestId()).matches("[0-9A-F]{16}");

        HeadObjectResponse h = s3.headObject(r -> r.bucket(b).key("dir/a b+c.bin"));
        assertThat(h.contentLength()).isEqualTo(body.length);
        assertThat(h.metadata()).containsEntry("color", "blue");
        assertThat(h.lastModified()).isBefore(Instant.now().plusSeconds(5));

        s3.deleteObject(r -> r.bucket(b).key("dir/a b+c.bin"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(b).key("dir/a b+c.bin")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket(b).key("dir/a b+c.bin")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        s3.deleteObject(r -> r.bucket(b).key("never-existed")); // 204 all the same
    }

    @Test
    void emptyObjectAndDefaultContentType() {
        String b = newBucket();
        s3.putObject(r -> r.bucket(b).key("empty"), RequestBody.empty());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(b).key("empty"));
        assertThat(got.asByteArray()).isEmpty();
        assertThat(got.response().eTag()).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
    }

    @Test
    void rangesAndOverrides() {
        String b = newBucket();
        byte[] body = bytes(10_000, 2);
        s3.putObject(r -> r.bucket(b).key("r"), RequestBody.fromBytes(body));
        ResponseBytes<GetObjectResponse> mid = s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=100-199"));
        assertThat(mid.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(body, 100, 200));
        assertThat(mid.response().contentRange()).isEqualTo("bytes 100-199/10000");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=9990-")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(body, 9990, 10_000));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=-5")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(body, 9995, 10_000));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=9000-20000")).asByteArray())
                .hasSize(1000);
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(b).key("r").range("bytes=20000-")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                });
        GetObjectResponse o = s3.getObjectAsBytes(r -> r.bucket(b).key("r").responseContentType("text/x-test")
                .responseContentDisposition("inline").responseCacheControl("no-store")
                .responseContentLanguage("fr")).response();
        assertThat(o.contentType()).isEqualTo("text/x-test");
        assertThat(o.contentDisposition()).isEqualTo("inline");
        assertThat(o.cacheControl()).isEqualTo("no-store");
        assertThat(o.contentLanguage()).isEqualTo("fr");
        HeadObjectResponse h = s3.headObject(r -> r.bucket(b).key("r").range("bytes=0-9"));
        assertThat(h.contentLength()).isEqualTo(10);
    }

    @Test
    void conditionalReads() {
        String b = newBucket();
        String etag = s3.putObject(r -> r.bucket(b).key("c"), RequestBody.fromString("hello")).eTag();
        Instant past = Instant.now().minusSeconds(3600);
        Instant future = Instant.now().plusSeconds(3600);
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("c").ifMatch(etag)).asUtf8String()).isEqualTo("hello");
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(b).key("c").ifMatch("\"nope\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(b).key("c").ifNoneMatch(etag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("c").ifNoneMatch("\"other\"")).asUtf8String())
                .isEqualTo("hello");
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(b).key("c").ifModifiedSince(future)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("c").ifModifiedSince(past)).asUtf8String())
                .isEqualTo("hello");
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(b).key("c").ifUnmodifiedSince(past)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        // a matching If-Match wins over a failing If-Unmodified-Since
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("c").ifMatch(etag).ifUnmodifiedSince(past))
                .asUtf8String()).isEqualTo("hello");
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket(b).key("c").ifNoneMatch(etag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
    }

    @Test
    void conditionalPuts() {
        String b = newBucket();
        String etag = s3.putObject(r -> r.bucket(b).key("p").ifNoneMatch("*"), RequestBody.fromString("one")).eTag();
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket(b).key("p").ifNoneMatch("*"), RequestBody.fromString("2")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                });
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket(b).key("p").ifMatch("\"abc\""),
                RequestBody.fromString("3"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.putObject(r -> r.bucket(b).key("p").ifMatch(etag), RequestBody.fromString("four"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("p")).asUtf8String()).isEqualTo("four");
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket(b).key("absent").ifMatch(etag),
                RequestBody.fromString("5"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void contentMd5IsChecked() throws Exception {
        String b = newBucket();
        byte[] body = "checked body".getBytes(StandardCharsets.UTF_8);
        String good = java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        s3.putObject(r -> r.bucket(b).key("m").contentMD5(good), RequestBody.fromBytes(body));
        String bad = java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket(b).key("m2").contentMD5(bad), RequestBody.fromBytes(body)))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket(b).key("m3").contentMD5("not-base64!"),
                RequestBody.fromBytes(body))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidDigest"));
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket(b).key("m2"))).isInstanceOf(S3Exception.class);
    }

    @Test
    void flexibleChecksumsRoundTrip() {
        String b = newBucket();
        byte[] body = bytes(70_000, 3);
        for (ChecksumAlgorithm alg : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256)) {
            String key = "cs-" + alg;
            PutObjectResponse put = s3.putObject(r -> r.bucket(b).key(key).checksumAlgorithm(alg),
                    RequestBody.fromBytes(body));
            String value = switch (alg) {
                case CRC32 -> put.checksumCRC32();
                case CRC32_C -> put.checksumCRC32C();
                case SHA1 -> put.checksumSHA1();
                default -> put.checksumSHA256();
            };
            assertThat(value).as(alg.toString()).isNotBlank();
            GetObjectResponse g = s3.getObjectAsBytes(r -> r.bucket(b).key(key).checksumMode(ChecksumMode.ENABLED))
                    .response();
            String back = switch (alg) {
                case CRC32 -> g.checksumCRC32();
                case CRC32_C -> g.checksumCRC32C();
                case SHA1 -> g.checksumSHA1();
                default -> g.checksumSHA256();
            };
            assertThat(back).isEqualTo(value);
            assertThat(g.checksumTypeAsString()).isEqualTo("FULL_OBJECT");
            HeadObjectResponse h = s3.headObject(r -> r.bucket(b).key(key));
            assertThat(h.checksumCRC32()).isNull(); // only with x-amz-checksum-mode: ENABLED
        }
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket(b).key("bad").checksumCRC32("AAAAAA=="),
                RequestBody.fromBytes(body))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
    }

    @Test
    void copyObject() {
        String b = newBucket();
        String b2 = newBucket();
        byte[] body = bytes(50_000, 4);
        String etag = s3.putObject(r -> r.bucket(b).key("src").contentType("text/plain")
                .metadata(Map.of("a", "1")), RequestBody.fromBytes(body)).eTag();
        CopyObjectResponse c = s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b2)
                .destinationKey("dst/copy"));
        assertThat(c.copyObjectResult().eTag()).isEqualTo(etag);
        GetObjectResponse g = s3.getObjectAsBytes(r -> r.bucket(b2).key("dst/copy")).response();
        assertThat(g.contentType()).isEqualTo("text/plain");
        assertThat(g.metadata()).containsEntry("a", "1");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b2).key("dst/copy")).asByteArray()).isEqualTo(body);

        s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("src")
                .metadataDirective(MetadataDirective.REPLACE).contentType("application/json")
                .metadata(Map.of("b", "2")));
        GetObjectResponse replaced = s3.getObjectAsBytes(r -> r.bucket(b).key("src")).response();
        assertThat(replaced.contentType()).isEqualTo("application/json");
        assertThat(replaced.metadata()).containsEntry("b", "2").doesNotContainKey("a");

        assertThatThrownBy(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("src"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
        assertThatThrownBy(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("x").copySourceIfMatch("\"wrong\""))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("missing").destinationBucket(b)
                .destinationKey("x"))).isInstanceOf(NoSuchKeyException.class);
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("y")
                .copySourceIfNoneMatch("\"other\"").copySourceIfModifiedSince(Instant.now().minusSeconds(600)));
        assertThat(s3.headObject(r -> r.bucket(b).key("y")).contentLength()).isEqualTo(body.length);
    }

    @Test
    void deleteObjects() {
        String b = newBucket();
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String k = "del/" + i;
            s3.putObject(r -> r.bucket(b).key(k), RequestBody.fromString(k));
            ids.add(ObjectIdentifier.builder().key(k).build());
        }
        ids.add(ObjectIdentifier.builder().key("not-there").build());
        DeleteObjectsResponse res = s3.deleteObjects(r -> r.bucket(b).delete(Delete.builder().objects(ids).build()));
        assertThat(res.deleted()).hasSize(21);
        assertThat(res.errors()).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).contents()).isEmpty();
        s3.putObject(r -> r.bucket(b).key("q"), RequestBody.fromString("q"));
        DeleteObjectsResponse quiet = s3.deleteObjects(r -> r.bucket(b).delete(Delete.builder().quiet(true)
                .objects(ObjectIdentifier.builder().key("q").build()).build()));
        assertThat(quiet.deleted()).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).keyCount()).isZero();
    }

    @Test
    void listObjectsV2PagingDelimiterAndEncoding() {
        String b = newBucket();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            keys.add(String.format("p/%02d", i));
        }
        keys.add("q/a b");
        keys.add("q/c+d");
        keys.add("top");
        for (String k : keys) {
            s3.putObject(r -> r.bucket(b).key(k), RequestBody.fromString(k));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(b).maxKeys(7).continuationToken(t));
            page.contents().forEach(o -> seen.add(o.key()));
            assertThat(page.keyCount()).isLessThanOrEqualTo(7);
            token = page.nextContinuationToken();
            pages++;
            assertThat(page.isTruncated()).isEqualTo(token != null);
        } while (token != null);
        assertThat(pages).isEqualTo(4);
        assertThat(seen).isEqualTo(keys.stream().sorted().toList());

        ListObjectsV2Response delim = s3.listObjectsV2(r -> r.bucket(b).delimiter("/"));
        assertThat(delim.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("p/", "q/");
        assertThat(delim.contents()).extracting(S3Object::key).containsExactly("top");
        assertThat(delim.keyCount()).isEqualTo(3);

        ListObjectsV2Response enc = s3.listObjectsV2(r -> r.bucket(b).prefix("q/").encodingType(EncodingType.URL));
        assertThat(enc.contents()).extracting(S3Object::key).containsExactly("q/a b", "q/c+d");

        ListObjectsV2Response after = s3.listObjectsV2(r -> r.bucket(b).startAfter("p/23").maxKeys(2).fetchOwner(true));
        assertThat(after.contents()).extracting(S3Object::key).containsExactly("p/24", "q/a b");
        assertThat(after.contents().get(0).owner().id()).isEqualTo(TestNode.OWNER_ID);
        assertThat(after.contents().get(0).size()).isEqualTo(4);
        assertThat(after.contents().get(0).eTag()).startsWith("\"");

        assertThatThrownBy(() -> s3.listObjectsV2(r -> r.bucket(b).continuationToken("!!!")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
    }

    @Test
    void listObjectsV1() {
        String b = newBucket();
        for (int i = 0; i < 12; i++) {
            String k = String.format("k%02d", i);
            s3.putObject(r -> r.bucket(b).key(k), RequestBody.fromString(k));
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        boolean truncated;
        do {
            String m = marker;
            ListObjectsResponse page = s3.listObjects(r -> r.bucket(b).maxKeys(5).marker(m));
            page.contents().forEach(o -> seen.add(o.key()));
            truncated = page.isTruncated();
            marker = page.nextMarker() != null ? page.nextMarker()
                    : page.contents().get(page.contents().size() - 1).key();
        } while (truncated);
        assertThat(seen).hasSize(12).isSorted();
        assertThat(s3.listObjects(r -> r.bucket(b).prefix("k1")).contents()).hasSize(2);
    }

    @Test
    void virtualHostedAddressingWorks() {
        String b = newBucket();
        s3.putObject(r -> r.bucket(b).key("vh"), RequestBody.fromString("virtual"));
        try (S3Client vh = S3Client.builder()
                .endpointOverride(java.net.URI.create("http://localhost:" + node.port()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(TestNode.ACCESS_KEY,
                                TestNode.SECRET_KEY)))
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                        .dnsResolver(host -> new java.net.InetAddress[] {java.net.InetAddress.getLoopbackAddress()}))
                .build()) {
            assertThat(vh.getObjectAsBytes(r -> r.bucket(b).key("vh")).asUtf8String()).isEqualTo("virtual");
        }
    }
}
