package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** GetObjectAttributes through the SDK v2 (which must parse what the node sends) and raw HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObjectAttributesTest {
    private static final String B = "attrs";
    private static final int PART = (int) TestNode.MIN_PART;

    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-attrs");
        node = TestNode.start(dir);
        s3 = node.client(false);
        s3.createBucket(r -> r.bucket(B));
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

    private GetObjectAttributesResponse all(String key) {
        return s3.getObjectAttributes(r -> r.bucket(B).key(key).objectAttributes(ObjectAttributes.E_TAG,
                ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.STORAGE_CLASS,
                ObjectAttributes.OBJECT_SIZE));
    }

    private static String sha256(byte[] b) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void singlePutObject() throws Exception {
        byte[] body = ObjectOperationsContract.bytes(10_000, 1);
        PutObjectResponse put = s3.putObject(r -> r.bucket(B).key("single").checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromBytes(body));
        GetObjectAttributesResponse a = all("single");
        assertThat(a.eTag()).isEqualTo(put.eTag().replace("\"", ""));
        assertThat(a.checksum().checksumSHA256()).isEqualTo(sha256(body));
        assertThat(a.checksum().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(a.objectParts()).isNull(); // only multipart objects have parts
        assertThat(a.storageClass()).isEqualTo(StorageClass.STANDARD);
        assertThat(a.objectSize()).isEqualTo(body.length);
        assertThat(a.lastModified()).isEqualTo(s3.headObject(r -> r.bucket(B).key("single")).lastModified());

        GetObjectAttributesResponse some = s3.getObjectAttributes(r -> r.bucket(B).key("single")
                .objectAttributes(ObjectAttributes.OBJECT_SIZE));
        assertThat(some.objectSize()).isEqualTo(body.length);
        assertThat(some.eTag()).isNull();
        assertThat(some.checksum()).isNull();
        assertThat(some.storageClass()).isNull();
    }

    @Test
    void multipartObjectWithPartChecksumsAndPaging() throws Exception {
        String id = s3.createMultipartUpload(r -> r.bucket(B).key("mp").checksumAlgorithm(ChecksumAlgorithm.SHA256))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        List<String> partSums = new ArrayList<>();
        ByteArrayOutputStream digests = new ByteArrayOutputStream();
        int[] sizes = {PART, PART + 1, 300};
        for (int i = 1; i <= 3; i++) {
            byte[] body = ObjectOperationsContract.bytes(sizes[i - 1], 10 + i);
            int n = i;
            UploadPartResponse up = s3.uploadPart(r -> r.bucket(B).key("mp").uploadId(id).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(body));
            assertThat(up.checksumSHA256()).isEqualTo(sha256(body));
            partSums.add(up.checksumSHA256());
            digests.writeBytes(Base64.getDecoder().decode(up.checksumSHA256()));
            parts.add(CompletedPart.builder().partNumber(i).eTag(up.eTag()).checksumSHA256(up.checksumSHA256())
                    .build());
        }
        // ListParts answers the part checksums too
        assertThat(s3.listParts(r -> r.bucket(B).key("mp").uploadId(id)).parts())
                .extracting(software.amazon.awssdk.services.s3.model.Part::checksumSHA256)
                .containsExactlyElementsOf(partSums);
        String etag = s3.completeMultipartUpload(r -> r.bucket(B).key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(parts))).eTag();

        GetObjectAttributesResponse a = all("mp");
        assertThat(a.eTag()).isEqualTo(etag.replace("\"", "")).endsWith("-3");
        // the composite value, without the -N S3 shows elsewhere
        assertThat(a.checksum().checksumSHA256()).isEqualTo(sha256(digests.toByteArray()));
        assertThat(a.checksum().checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        assertThat(a.objectSize()).isEqualTo(sizes[0] + sizes[1] + sizes[2]);
        assertThat(a.objectParts().totalPartsCount()).isEqualTo(3);
        assertThat(a.objectParts().isTruncated()).isFalse();
        assertThat(a.objectParts().parts()).extracting(ObjectPart::partNumber).containsExactly(1, 2, 3);
        assertThat(a.objectParts().parts()).extracting(ObjectPart::size)
                .containsExactly((long) sizes[0], (long) sizes[1], (long) sizes[2]);
        assertThat(a.objectParts().parts()).extracting(ObjectPart::checksumSHA256).containsExactlyElementsOf(partSums);

        // paging as ListParts: numbers above the marker, at most max-parts, next marker = last listed
        List<Integer> seen = new ArrayList<>();
        int marker = 0;
        boolean truncated = true;
        while (truncated) {
            int from = marker;
            GetObjectAttributesResponse page = s3.getObjectAttributes(r -> r.bucket(B).key("mp").maxParts(2)
                    .partNumberMarker(from).objectAttributes(ObjectAttributes.OBJECT_PARTS));
            assertThat(page.objectParts().maxParts()).isEqualTo(2);
            assertThat(page.objectParts().partNumberMarker()).isEqualTo(from);
            assertThat(page.objectParts().totalPartsCount()).isEqualTo(3);
            page.objectParts().parts().forEach(p -> seen.add(p.partNumber()));
            truncated = page.objectParts().isTruncated();
            marker = page.objectParts().nextPartNumberMarker();
        }
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void fullObjectMultipartChecksum() {
        String id = s3.createMultipartUpload(r -> r.bucket(B).key("fo").checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                .checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            int n = i;
            UploadPartResponse up = s3.uploadPart(r -> r.bucket(B).key("fo").uploadId(id).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
                    RequestBody.fromBytes(ObjectOperationsContract.bytes(PART, 20 + n)));
            parts.add(CompletedPart.builder().partNumber(i).eTag(up.eTag()).checksumCRC32C(up.checksumCRC32C())
                    .build());
        }
        String whole = s3.completeMultipartUpload(r -> r.bucket(B).key("fo").uploadId(id)
                .checksumType(ChecksumType.FULL_OBJECT).multipartUpload(m -> m.parts(parts))).checksumCRC32C();
        GetObjectAttributesResponse a = all("fo");
        assertThat(a.checksum().checksumCRC32C()).isEqualTo(whole);
        assertThat(a.checksum().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(a.objectParts().parts()).extracting(ObjectPart::checksumCRC32C)
                .containsExactly(parts.get(0).checksumCRC32C(), parts.get(1).checksumCRC32C());
    }

    private RawHttp.Response raw(String key, Map<String, String> headers) {
        try (RawHttp http = new RawHttp(node.port())) {
            http.send(RawHttp.signedHead("GET", node.port(), "/" + B + "/" + key + "?attributes", headers));
            return http.read(true);
        }
    }

    @Test
    void wireFormAndErrors() {
        String etag = s3.putObject(r -> r.bucket(B).key("w"), RequestBody.fromString("wire")).eTag();
        RawHttp.Response ok = raw("w", Map.of("x-amz-object-attributes", "ETag,ObjectSize"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.text()).contains("<GetObjectAttributesResponse xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<ETag>" + etag.replace("\"", "") + "</ETag><ObjectSize>4</ObjectSize></GetObjectAttributesResponse>");
        assertThat(ok.headers()).containsKey("last-modified");

        RawHttp.Response missing = raw("w", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text()).contains("<Code>InvalidRequest</Code>");
        RawHttp.Response unknown = raw("w", Map.of("x-amz-object-attributes", "ETag,Colour"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("<Code>InvalidArgument</Code>", "Invalid attribute name specified.");
        RawHttp.Response badMax = raw("w", Map.of("x-amz-object-attributes", "ObjectParts", "x-amz-max-parts", "x"));
        assertThat(badMax.status()).isEqualTo(400);

        // conditional headers act as on HEAD
        Map<String, String> ifMatch = new LinkedHashMap<>();
        ifMatch.put("x-amz-object-attributes", "ETag");
        ifMatch.put("If-Match", "\"0000\"");
        assertThat(raw("w", ifMatch).status()).isEqualTo(412);
        Map<String, String> ifNoneMatch = new LinkedHashMap<>();
        ifNoneMatch.put("x-amz-object-attributes", "ETag");
        ifNoneMatch.put("If-None-Match", etag);
        assertThat(raw("w", ifNoneMatch).status()).isEqualTo(304);

        assertThatThrownBy(() -> s3.getObjectAttributes(r -> r.bucket(B).key("nothing-here")
                .objectAttributes(ObjectAttributes.E_TAG))).isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.getObjectAttributes(r -> r.bucket(B).key("w").versionId("3HL4kqtJlcpXroDTDmJ")
                .objectAttributes(ObjectAttributes.E_TAG))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
    }
}
