package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The multipart operations through the SDK v2 sync client. Run with default checksums and with
 * checksums only when required.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class MultipartContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    static final int PART = (int) TestNode.MIN_PART;

    Path dir;
    TestNode node;
    S3Client s3;

    abstract boolean checksumsWhenRequired();

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-mp");
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
        String name = "mp-" + (checksumsWhenRequired() ? "r" : "d") + "-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    static byte[] part(int n, int size) {
        byte[] b = new byte[size];
        new java.util.Random(n * 31L + size).nextBytes(b);
        return b;
    }

    static String multipartEtag(List<byte[]> parts) throws Exception {
        MessageDigest all = MessageDigest.getInstance("MD5");
        for (byte[] p : parts) {
            all.update(MessageDigest.getInstance("MD5").digest(p));
        }
        return "\"" + HexFormat.of().formatHex(all.digest()) + "-" + parts.size() + "\"";
    }

    UploadPartResponse upload(String b, String k, String id, int n, byte[] body) {
        return s3.uploadPart(r -> r.bucket(b).key(k).uploadId(id).partNumber(n), RequestBody.fromBytes(body));
    }

    @Test
    void manyPartsWithReuploadsAndMetadata() throws Exception {
        String b = newBucket();
        CreateMultipartUploadResponse c = s3.createMultipartUpload(r -> r.bucket(b).key("big/obj")
                .contentType("video/mp4").metadata(Map.of("origin", "test")));
        String id = c.uploadId();
        int parts = 40;
        List<byte[]> bodies = new ArrayList<>();
        List<CompletedPart> done = new ArrayList<>();
        for (int i = 1; i <= parts; i++) {
            byte[] body = part(i, PART + i);
            if (i % 7 == 0) {
                upload(b, "big/obj", id, i, part(i + 1000, PART)); // replaced below
            }
            UploadPartResponse up = upload(b, "big/obj", id, i, body);
            assertThat(up.eTag()).isEqualTo("\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(body)) + "\"");
            bodies.add(body);
            done.add(CompletedPart.builder().partNumber(i).eTag(up.eTag()).checksumCRC32(up.checksumCRC32()).build());
        }
        ListPartsResponse lp = s3.listParts(r -> r.bucket(b).key("big/obj").uploadId(id));
        assertThat(lp.parts()).hasSize(parts);
        assertThat(lp.parts().get(6).size()).isEqualTo(PART + 7);
        assertThat(lp.owner().id()).isEqualTo(TestNode.OWNER_ID);
        assertThat(lp.initiator().displayName()).isEqualTo(TestNode.OWNER_NAME);

        CompleteMultipartUploadResponse res = s3.completeMultipartUpload(r -> r.bucket(b).key("big/obj")
                .uploadId(id).multipartUpload(m -> m.parts(done)));
        assertThat(res.eTag()).isEqualTo(multipartEtag(bodies));
        assertThat(res.location()).contains("/" + b + "/big/obj");

        ByteArrayOutputStream all = new ByteArrayOutputStream();
        bodies.forEach(all::writeBytes);
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(b).key("big/obj"));
        assertThat(got.asByteArray()).isEqualTo(all.toByteArray());
        assertThat(got.response().eTag()).isEqualTo(res.eTag());
        assertThat(got.response().contentType()).isEqualTo("video/mp4");
        assertThat(got.response().metadata()).containsEntry("origin", "test");

        // partNumber reads: the part's bytes, the whole object's ETag, the parts count
        ResponseBytes<GetObjectResponse> p3 = s3.getObjectAsBytes(r -> r.bucket(b).key("big/obj").partNumber(3));
        assertThat(p3.asByteArray()).isEqualTo(bodies.get(2));
        assertThat(p3.response().partsCount()).isEqualTo(parts);
        assertThat(p3.response().eTag()).isEqualTo(res.eTag());
        assertThat(p3.response().contentRange()).startsWith("bytes " + (2L * PART + 3) + "-");
        HeadObjectResponse h5 = s3.headObject(r -> r.bucket(b).key("big/obj").partNumber(5));
        assertThat(h5.contentLength()).isEqualTo(PART + 5);
        assertThat(h5.partsCount()).isEqualTo(parts);
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(b).key("big/obj").partNumber(parts + 1)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));

        // the upload is gone; a repeated identical Complete answers the same
        assertThatThrownBy(() -> s3.listParts(r -> r.bucket(b).key("big/obj").uploadId(id)))
                .isInstanceOf(NoSuchUploadException.class);
        CompleteMultipartUploadResponse again = s3.completeMultipartUpload(r -> r.bucket(b).key("big/obj")
                .uploadId(id).multipartUpload(m -> m.parts(done)));
        assertThat(again.eTag()).isEqualTo(res.eTag());
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).contents().get(0).size()).isEqualTo(all.size());
    }

    @Test
    void subsetCompleteAndValidation() {
        String b = newBucket();
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        String e1 = upload(b, "k", id, 1, part(1, PART)).eTag();
        String e2 = upload(b, "k", id, 2, part(2, 10)).eTag();
        String e3 = upload(b, "k", id, 3, part(3, PART)).eTag();
        assertThatThrownBy(() -> complete(b, "k", id, List.of(cp(2, e2), cp(1, e1))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPartOrder"));
        assertThatThrownBy(() -> complete(b, "k", id, List.of(cp(1, e2))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPart"));
        assertThatThrownBy(() -> complete(b, "k", id, List.of(cp(1, e1), cp(4, e1))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPart"));
        assertThatThrownBy(() -> complete(b, "k", id, List.of(cp(2, e2), cp(3, e3))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall"));
        assertThatThrownBy(() -> complete(b, "k", id, List.of(cp(0, e1))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
        complete(b, "k", id, List.of(cp(1, e1), cp(3, e3)));
        byte[] got = s3.getObjectAsBytes(r -> r.bucket(b).key("k")).asByteArray();
        byte[] want = new byte[2 * PART];
        System.arraycopy(part(1, PART), 0, want, 0, PART);
        System.arraycopy(part(3, PART), 0, want, PART, PART);
        assertThat(got).isEqualTo(want);
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("k").partNumber(3)).response().contentLength())
                .isEqualTo(PART);
    }

    /** Runs {@code task(0..n-1)} on 8 threads (the node group-commits concurrent writes) and waits. */
    static void parallel(int n, java.util.function.IntConsumer task) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int x = i;
                fs.add(pool.submit(() -> task.accept(x)));
            }
            for (java.util.concurrent.Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    static CompletedPart cp(int n, String etag) {
        return CompletedPart.builder().partNumber(n).eTag(etag).build();
    }

    CompleteMultipartUploadResponse complete(String b, String k, String id, List<CompletedPart> parts) {
        return s3.completeMultipartUpload(r -> r.bucket(b).key(k).uploadId(id).multipartUpload(m -> m.parts(parts)));
    }

    @Test
    void badPartNumbersAndUnknownUploads() {
        String b = newBucket();
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        for (int bad : new int[] {0, 10_001, -1}) {
            assertThatThrownBy(() -> upload(b, "k", id, bad, part(1, 10)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                    });
        }
        assertThatThrownBy(() -> upload(b, "k", "no-such-upload-id", 1, part(1, 10)))
                .isInstanceOf(NoSuchUploadException.class);
        assertThatThrownBy(() -> upload(b, "other-key", id, 1, part(1, 10)))
                .isInstanceOf(NoSuchUploadException.class);
        assertThatThrownBy(() -> s3.abortMultipartUpload(r -> r.bucket(b).key("k").uploadId("00000000000000000000")))
                .isInstanceOf(NoSuchUploadException.class);
        assertThatThrownBy(() -> complete(b, "k", "bogus", List.of(cp(1, "\"x\""))))
                .isInstanceOf(NoSuchUploadException.class);
        assertThat(s3.abortMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)).sdkHttpResponse().statusCode())
                .isEqualTo(204);
        assertThatThrownBy(() -> s3.listParts(r -> r.bucket(b).key("k").uploadId(id)))
                .isInstanceOf(NoSuchUploadException.class);
        assertThatThrownBy(() -> upload(b, "k", id, 1, part(1, 10))).isInstanceOf(NoSuchUploadException.class);
    }

    @Test
    void uploadPartCopyWithRanges() {
        String b = newBucket();
        byte[] src = part(99, 3 * PART);
        s3.putObject(r -> r.bucket(b).key("src"), RequestBody.fromBytes(src));
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("dst")).uploadId();
        UploadPartCopyResponse c1 = s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("dst").uploadId(id).partNumber(1).copySourceRange("bytes=0-" + (PART - 1)));
        UploadPartCopyResponse c2 = s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("dst").uploadId(id).partNumber(2));
        assertThatThrownBy(() -> s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("dst").uploadId(id).partNumber(3).copySourceRange("bytes=0-" + (3 * PART))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange"));
        assertThatThrownBy(() -> s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("dst").uploadId(id).partNumber(3).copySourceRange("0-10")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
        complete(b, "dst", id, List.of(cp(1, c1.copyPartResult().eTag()), cp(2, c2.copyPartResult().eTag())));
        byte[] want = new byte[4 * PART];
        System.arraycopy(src, 0, want, 0, PART);
        System.arraycopy(src, 0, want, PART, 3 * PART);
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("dst")).asByteArray()).isEqualTo(want);
    }

    @Test
    void conditionalComplete() {
        String b = newBucket();
        s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("existing"));
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        String e1 = upload(b, "k", id, 1, part(1, 100)).eTag();
        assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(cp(1, e1))))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(412));
        String current = s3.headObject(r -> r.bucket(b).key("k")).eTag();
        s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).ifMatch(current)
                .multipartUpload(m -> m.parts(cp(1, e1))));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("k")).asByteArray()).isEqualTo(part(1, 100));
    }

    @Test
    void compositeChecksums() throws Exception {
        String b = newBucket();
        CreateMultipartUploadResponse c = s3.createMultipartUpload(r -> r.bucket(b).key("cs")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32));
        assertThat(c.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        List<CompletedPart> parts = new ArrayList<>();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int i = 1; i <= 3; i++) {
            byte[] body = part(i, PART);
            int n = i;
            UploadPartResponse up = s3.uploadPart(r -> r.bucket(b).key("cs").uploadId(c.uploadId()).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(body));
            assertThat(up.checksumCRC32()).isEqualTo(crc32(body));
            raw.writeBytes(Base64.getDecoder().decode(up.checksumCRC32()));
            parts.add(CompletedPart.builder().partNumber(i).eTag(up.eTag()).checksumCRC32(up.checksumCRC32()).build());
        }
        ListPartsResponse lp = s3.listParts(r -> r.bucket(b).key("cs").uploadId(c.uploadId()));
        assertThat(lp.parts()).extracting(Part::checksumCRC32).containsExactly(parts.stream()
                .map(CompletedPart::checksumCRC32).toArray(String[]::new));
        assertThat(lp.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        String composite = crc32(raw.toByteArray()) + "-3";
        assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("cs").uploadId(c.uploadId())
                .multipartUpload(m -> m.parts(cp(1, parts.get(0).eTag()))))).isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
        CompleteMultipartUploadResponse res = s3.completeMultipartUpload(r -> r.bucket(b).key("cs")
                .uploadId(c.uploadId()).multipartUpload(m -> m.parts(parts)));
        assertThat(res.checksumCRC32()).isEqualTo(composite);
        assertThat(res.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        HeadObjectResponse h = s3.headObject(r -> r.bucket(b).key("cs").checksumMode(ChecksumMode.ENABLED));
        assertThat(h.checksumCRC32()).isEqualTo(composite);
        assertThat(h.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        HeadObjectResponse h2 = s3.headObject(r -> r.bucket(b).key("cs").partNumber(2)
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(h2.checksumCRC32()).isEqualTo(parts.get(1).checksumCRC32());
        assertThat(s3.getObjectAsBytes(r -> r.bucket(b).key("cs").checksumMode(ChecksumMode.ENABLED)).asByteArray())
                .hasSize(3 * PART);
    }

    @Test
    void fullObjectChecksums() throws Exception {
        String b = newBucket();
        CreateMultipartUploadResponse c = s3.createMultipartUpload(r -> r.bucket(b).key("fo")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT));
        List<CompletedPart> parts = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 1; i <= 3; i++) {
            byte[] body = part(i, PART + 17 * i);
            all.writeBytes(body);
            int n = i;
            UploadPartResponse up = s3.uploadPart(r -> r.bucket(b).key("fo").uploadId(c.uploadId()).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromBytes(body));
            parts.add(CompletedPart.builder().partNumber(i).eTag(up.eTag()).checksumCRC32C(up.checksumCRC32C())
                    .build());
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(all.toByteArray());
        String whole = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4)
                .putInt((int) crc.getValue()).array());
        assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("fo").uploadId(c.uploadId())
                .checksumCRC32C("AAAAAA==").checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(parts)))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        CompleteMultipartUploadResponse res = s3.completeMultipartUpload(r -> r.bucket(b).key("fo")
                .uploadId(c.uploadId()).checksumCRC32C(whole).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(parts)));
        assertThat(res.checksumCRC32C()).isEqualTo(whole);
        assertThat(res.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        GetObjectResponse g = s3.getObjectAsBytes(r -> r.bucket(b).key("fo").checksumMode(ChecksumMode.ENABLED))
                .response();
        assertThat(g.checksumCRC32C()).isEqualTo(whole);
    }

    static String crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    @Test
    void listPartsPagingPastOneThousand() {
        String b = newBucket();
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("many")).uploadId();
        int n = 1_205;
        byte[] tiny = {1, 2, 3};
        parallel(n, i -> s3.uploadPart(r -> r.bucket(b).key("many").uploadId(id).partNumber(i + 1),
                RequestBody.fromBytes(tiny)));
        ListPartsResponse first = s3.listParts(r -> r.bucket(b).key("many").uploadId(id));
        assertThat(first.parts()).hasSize(1000);
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.nextPartNumberMarker()).isEqualTo(1000);
        assertThat(first.maxParts()).isEqualTo(1000);
        List<Integer> seen = new ArrayList<>();
        Integer marker = 0;
        boolean truncated = true;
        while (truncated) {
            Integer m = marker;
            ListPartsResponse page = s3.listParts(r -> r.bucket(b).key("many").uploadId(id).maxParts(300)
                    .partNumberMarker(m));
            page.parts().forEach(p -> seen.add(p.partNumber()));
            truncated = page.isTruncated();
            marker = page.nextPartNumberMarker();
        }
        assertThat(seen).hasSize(n).isSorted().doesNotHaveDuplicates();
        assertThat(s3.listPartsPaginator(r -> r.bucket(b).key("many").uploadId(id)).parts().stream().count())
                .isEqualTo(n);
        s3.abortMultipartUpload(r -> r.bucket(b).key("many").uploadId(id));
    }

    @Test
    void listUploadsPagingPastOneThousandAndEncoding() {
        String b = newBucket();
        int n = 1_010;
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        parallel(n, i -> {
            String key = i % 2 == 0 ? "a/" + (i % 5) : "b c+" + (i % 3);
            ids.add(s3.createMultipartUpload(r -> r.bucket(b).key(key)).uploadId());
        });
        ListMultipartUploadsResponse first = s3.listMultipartUploads(r -> r.bucket(b));
        assertThat(first.uploads()).hasSize(1000);
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.nextKeyMarker()).isNotNull();
        assertThat(first.nextUploadIdMarker()).isNotNull();
        List<String> seen = new ArrayList<>();
        String km = null;
        String um = null;
        boolean truncated = true;
        int pages = 0;
        while (truncated) {
            String k = km;
            String u = um;
            ListMultipartUploadsResponse page = s3.listMultipartUploads(r -> r.bucket(b).maxUploads(333)
                    .keyMarker(k).uploadIdMarker(u));
            for (MultipartUpload up : page.uploads()) {
                seen.add(up.uploadId());
                assertThat(up.owner().id()).isEqualTo(TestNode.OWNER_ID);
            }
            truncated = page.isTruncated();
            km = page.nextKeyMarker();
            um = page.nextUploadIdMarker();
            pages++;
        }
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(n).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);

        ListMultipartUploadsResponse delim = s3.listMultipartUploads(r -> r.bucket(b).delimiter("/")
                .encodingType("url"));
        assertThat(delim.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/");
        assertThat(delim.uploads()).allSatisfy(u -> assertThat(u.key()).startsWith("b c+"));
        ListMultipartUploadsResponse prefixed = s3.listMultipartUploads(r -> r.bucket(b).prefix("a/1"));
        assertThat(prefixed.uploads()).isNotEmpty().allSatisfy(u -> assertThat(u.key()).isEqualTo("a/1"));
        // one key: uploads in initiation order (compare instants, not their text: 44Z > 44.057Z)
        List<java.time.Instant> initiated = new ArrayList<>();
        prefixed.uploads().forEach(u -> initiated.add(u.initiated()));
        assertThat(initiated).isSorted();
    }

    @Test
    void malformedCompleteBody() throws Exception {
        String b = newBucket();
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .multipartUpload(m -> m.parts(List.of())))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedXML"));
        assertThat(Arrays.asList(s3.listParts(r -> r.bucket(b).key("k").uploadId(id)).parts().toArray())).isEmpty();
    }
}
