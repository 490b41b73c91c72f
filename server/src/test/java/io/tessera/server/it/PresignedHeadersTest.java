package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * A presigned URL authorises only what was signed: an {@code x-amz-*} header its holder adds is refused
 * (as S3 does), so an upload URL cannot be turned into a copy of another object, nor carry metadata or
 * directives its signer never chose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PresignedHeadersTest {
    Path dir;
    TestNode node;
    S3Client s3;
    S3Presigner presigner;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-presigned");
        node = TestNode.start(dir);
        s3 = node.client(true);
        presigner = node.presigner();
        s3.createBucket(b -> b.bucket("bkt"));
        s3.putObject(r -> r.bucket("bkt").key("private"), RequestBody.fromString("the signer's secret"));
    }

    @AfterAll
    void stop() {
        if (presigner != null) {
            presigner.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
        TempDirs.delete(dir);
    }

    @ParameterizedTest
    @CsvSource({
        "x-amz-copy-source, bkt/private",
        "x-amz-meta-foo, injected",
        "x-amz-metadata-directive, REPLACE",
        "x-amz-storage-class, REDUCED_REDUNDANCY",
        "x-amz-website-redirect-location, /elsewhere",
        "X-Amz-Tagging, a=b"
    })
    void unsignedAmzHeaderOnPresignedPutIsDeniedAndNothingIsStored(String name, String value) {
        String key = "upload-" + name.toLowerCase() + ".png";
        PresignedPutObjectRequest put = presignPut(key, Map.of());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(name, value);
        RawHttp.Response r = send(put, extra, "uploaded bytes");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("<Code>AccessDenied</Code>")
                .contains("<Message>There were headers present in the request which were not signed</Message>")
                .contains("<HeadersNotSigned>" + name.toLowerCase() + "</HeadersNotSigned>");
        assertThatThrownBy(() -> s3.headObject(h -> h.bucket("bkt").key(key))).isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("bkt").key("private")).asUtf8String())
                .isEqualTo("the signer's secret");
    }

    @Test
    void everyUnsignedHeaderIsNamed() {
        PresignedPutObjectRequest put = presignPut("upload.png", Map.of());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("x-amz-meta-b", "1");
        extra.put("x-amz-copy-source", "bkt/private");
        RawHttp.Response r = send(put, extra, "x");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("<HeadersNotSigned>x-amz-copy-source, x-amz-meta-b</HeadersNotSigned>");
        assertThatThrownBy(() -> s3.headObject(h -> h.bucket("bkt").key("upload.png")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void signedMetadataOnPresignedPutIsStored() {
        PresignedPutObjectRequest put = presignPut("signed-meta.png", Map.of("foo", "chosen by the signer"));
        assertThat(put.signedHeaders()).containsKey("x-amz-meta-foo");
        RawHttp.Response r = send(put, Map.of(), "picture");
        assertThat(r.status()).isEqualTo(200);
        HeadObjectResponse head = s3.headObject(h -> h.bucket("bkt").key("signed-meta.png"));
        assertThat(head.metadata()).containsEntry("foo", "chosen by the signer");
        assertThat(s3.getObjectAsBytes(g -> g.bucket("bkt").key("signed-meta.png")).asUtf8String())
                .isEqualTo("picture");
    }

    /** Query-signed requests hash UNSIGNED-PAYLOAD whatever this header says, so clients may add it unsigned. */
    @Test
    void unsignedContentSha256IsTolerated() {
        PresignedPutObjectRequest put = presignPut("with-sha.png", Map.of());
        RawHttp.Response r = send(put, Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), "plain body");
        assertThat(r.status()).isEqualTo(200);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("bkt").key("with-sha.png")).asUtf8String())
                .isEqualTo("plain body");
    }

    private PresignedPutObjectRequest presignPut(String key, Map<String, String> metadata) {
        return presigner.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(o -> o.bucket("bkt").key(key).metadata(metadata)));
    }

    /** Sends the presigned request with its signed headers, {@code extra} headers and {@code body}. */
    private RawHttp.Response send(PresignedPutObjectRequest put, Map<String, String> extra, String body) {
        URL url = put.url();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("PUT " + url.getFile() + " HTTP/1.1\r\n");
        for (Map.Entry<String, List<String>> h : put.signedHeaders().entrySet()) {
            for (String v : h.getValue()) {
                head.append(h.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(head.toString());
            c.send(bytes);
            return c.read(true);
        }
    }
}
