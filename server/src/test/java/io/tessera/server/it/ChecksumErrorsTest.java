package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.ChecksumAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A declared checksum that does not match the body is 400 BadDigest for every algorithm, whether it was
 * declared in a header or an aws-chunked trailer, and whether it is a wrong digest or no digest of the
 * algorithm at all; nothing is stored. Part checksums come back from ListParts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChecksumErrorsTest {
    private static final String B = "checksums";
    private static final byte[] BODY = "the body whose checksum is declared".getBytes(StandardCharsets.UTF_8);

    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-cs");
        node = TestNode.start(dir);
        s3 = node.client(true);
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

    private static String header(ChecksumAlgorithm alg) {
        return "x-amz-checksum-" + alg.name().toLowerCase(Locale.ROOT);
    }

    private static String digest(ChecksumAlgorithm alg, byte[] data) {
        var hasher = alg.newHasher();
        hasher.update(data, 0, data.length);
        return Base64.getEncoder().encodeToString(hasher.digest());
    }

    /** Values that do not match {@link #BODY}: a digest of other bytes, and values of the wrong length. */
    private static List<String> wrongValues(ChecksumAlgorithm alg) {
        return List.of(digest(alg, new byte[] {1, 2, 3}), "bad", "AAAA", "not base64!");
    }

    private RawHttp.Response headerPut(String path, String name, String value) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(name, value);
        h.put("Content-Length", Integer.toString(BODY.length));
        try (RawHttp http = new RawHttp(node.port())) {
            http.send(RawHttp.signedHead("PUT", node.port(), path, h));
            http.send(BODY);
            return http.read(true);
        }
    }

    /** A {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} body whose trailer declares {@code value}. */
    private RawHttp.Response trailerPut(String path, String name, String value) {
        String framed = Integer.toHexString(BODY.length) + "\r\n" + new String(BODY, StandardCharsets.UTF_8)
                + "\r\n0\r\n" + name + ":" + value + "\r\n\r\n";
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-amz-trailer", name);
        h.put("x-amz-decoded-content-length", Integer.toString(BODY.length));
        h.put("Content-Encoding", "aws-chunked");
        h.put("Content-Length", Integer.toString(framed.length()));
        try (RawHttp http = new RawHttp(node.port())) {
            http.send(RawHttp.signedHeadWithPayload("PUT", node.port(), path, h, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
            http.send(framed);
            return http.read(true);
        }
    }

    private static void assertBadDigest(RawHttp.Response r, String what) {
        assertThat(r.status()).as(what).isEqualTo(400);
        assertThat(r.text()).as(what).contains("<Code>BadDigest</Code>");
    }

    @Test
    void everyMismatchOnPutObjectIsBadDigest() {
        for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
            String name = header(alg);
            for (String wrong : wrongValues(alg)) {
                assertBadDigest(headerPut("/" + B + "/h-" + alg, name, wrong), alg + " header " + wrong);
                assertBadDigest(trailerPut("/" + B + "/t-" + alg, name, wrong), alg + " trailer " + wrong);
            }
            // the right value is accepted both ways
            assertThat(headerPut("/" + B + "/h-" + alg, name, digest(alg, BODY)).status()).as(alg + " header")
                    .isEqualTo(200);
            assertThat(trailerPut("/" + B + "/t-" + alg, name, digest(alg, BODY)).status()).as(alg + " trailer")
                    .isEqualTo(200);
        }
        assertThat(s3.listObjectsV2(r -> r.bucket(B).prefix("h-")).keyCount()).isEqualTo(5);
        assertThat(s3.listObjectsV2(r -> r.bucket(B).prefix("t-")).keyCount()).isEqualTo(5);
    }

    @Test
    void theSdksDeclaredValuesAreCheckedToo() {
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket(B).key("sdk").checksumSHA256("bad"),
                RequestBody.fromBytes(BODY))).isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
                });
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket(B).key("sdk").checksumCRC32C(
                digest(ChecksumAlgorithm.CRC32C, new byte[1])), RequestBody.fromBytes(BODY)))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        assertThat(s3.listObjectsV2(r -> r.bucket(B).prefix("sdk")).keyCount()).isZero();
    }

    @Test
    void partsRefuseMismatchesAndListPartsAnswersTheirChecksums() {
        for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
            String key = "mp-" + alg;
            String id = s3.createMultipartUpload(r -> r.bucket(B).key(key)).uploadId();
            String path = "/" + B + "/" + key + "?partNumber=1&uploadId=" + id;
            for (String wrong : wrongValues(alg)) {
                assertBadDigest(headerPut(path, header(alg), wrong), alg + " part header " + wrong);
                assertBadDigest(trailerPut("/" + B + "/" + key + "?partNumber=1&uploadId=" + id, header(alg), wrong),
                        alg + " part trailer " + wrong);
            }
            assertThat(s3.listParts(r -> r.bucket(B).key(key).uploadId(id)).parts()).isEmpty();
            assertThat(headerPut(path, header(alg), digest(alg, BODY)).status()).isEqualTo(200);
            assertThat(headerPut("/" + B + "/" + key + "?partNumber=2&uploadId=" + id, header(alg),
                    digest(alg, BODY)).status()).isEqualTo(200);
            RawHttp.Response listed;
            try (RawHttp http = new RawHttp(node.port())) {
                http.send(RawHttp.signedHead("GET", node.port(), "/" + B + "/" + key + "?uploadId=" + id, Map.of()));
                listed = http.read(true);
            }
            String element = "Checksum" + alg.name();
            assertThat(listed.text()).as(alg.name()).contains("<PartNumber>1</PartNumber>",
                    "<PartNumber>2</PartNumber>", "<" + element + ">" + digest(alg, BODY) + "</" + element + ">");
        }
    }

    @Test
    void completeRefusesAMalformedWholeChecksumAndAnotherType() {
        String id = s3.createMultipartUpload(r -> r.bucket(B).key("c").checksumAlgorithm(
                software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32)
                .checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        var up = s3.uploadPart(r -> r.bucket(B).key("c").uploadId(id).partNumber(1)
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32),
                RequestBody.fromBytes(BODY));
        CompletedPart part = CompletedPart.builder().partNumber(1).eTag(up.eTag()).checksumCRC32(up.checksumCRC32())
                .build();
        for (String wrong : List.of("bad", "AAAAAA==")) {
            assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket(B).key("c").uploadId(id)
                    .checksumCRC32(wrong).checksumType(ChecksumType.FULL_OBJECT).multipartUpload(m -> m.parts(part))))
                    .isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).as(wrong).isEqualTo("BadDigest"));
        }
        assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket(B).key("c").uploadId(id)
                .checksumType(ChecksumType.COMPOSITE).multipartUpload(m -> m.parts(part))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        assertThat(s3.completeMultipartUpload(r -> r.bucket(B).key("c").uploadId(id)
                .checksumCRC32(digest(ChecksumAlgorithm.CRC32, BODY)).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(part))).checksumCRC32()).isEqualTo(digest(ChecksumAlgorithm.CRC32, BODY));
    }

    @Test
    void deleteObjectsWithAMismatchedChecksumIsBadDigest() {
        byte[] doc = "<Delete><Object><Key>x</Key></Object></Delete>".getBytes(StandardCharsets.UTF_8);
        for (String wrong : List.of(digest(ChecksumAlgorithm.CRC32, new byte[1]), "bad")) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("x-amz-checksum-crc32", wrong);
            h.put("Content-Length", Integer.toString(doc.length));
            try (RawHttp http = new RawHttp(node.port())) {
                http.send(RawHttp.signedHead("POST", node.port(), "/" + B + "?delete", h));
                http.send(doc);
                assertBadDigest(http.read(true), "DeleteObjects " + wrong);
            }
        }
    }
}
