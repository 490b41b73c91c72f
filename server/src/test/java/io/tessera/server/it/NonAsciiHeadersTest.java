package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Non-ASCII header values. SigV4 signs the bytes on the wire, and clients that send non-ASCII metadata
 * (Go's SDKs, minio-go, rclone, curl) send the UTF-8 bytes of the text they sign; the node must hash
 * exactly those bytes and keep, and give back, that UTF-8 text. Requests are signed by the AWS SDK's
 * signer and sent raw, since the SDK's own HTTP clients cannot send UTF-8 header bytes (they send
 * ISO-8859-1, or {@code ?}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NonAsciiHeadersTest {
    static final String TEXT = "h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e \uD83D\uDE80";

    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-nonascii");
        node = TestNode.start(dir);
        s3 = node.client(true);
        s3.createBucket(b -> b.bucket("utf"));
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
    void signedUtf8MetadataVerifiesAndRoundTrips() {
        byte[] body = "body".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-meta-note", TEXT);
        headers.put("Content-Disposition", "attachment; filename=\"r\u00e9sum\u00e9.pdf\"");
        headers.put("Content-Length", Integer.toString(body.length));
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/utf/k", headers)); // sent as UTF-8 bytes
            c.send(body);
            RawHttp.Response put = c.read(true);
            assertThat(put.status()).as(put.text()).isEqualTo(200);

            c.send(RawHttp.signedHead("GET", node.port(), "/utf/k", Map.of()));
            RawHttp.Response get = c.read(true);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.headers().get("x-amz-meta-note")).isEqualTo(TEXT); // read back as UTF-8
            assertThat(get.headers().get("content-disposition")).isEqualTo("attachment; filename=\"r\u00e9sum\u00e9.pdf\"");
            assertThat(get.body()).isEqualTo(body);
        }
        // CopyObject keeps the text
        s3.copyObject(r -> r.sourceBucket("utf").sourceKey("k").destinationBucket("utf").destinationKey("copy"));
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("HEAD", node.port(), "/utf/copy", Map.of()));
            assertThat(c.read(false).headers().get("x-amz-meta-note")).isEqualTo(TEXT);
        }
    }

    @Test
    void utf8MetadataThatWasNotWhatWasSignedIsRefused() {
        String head = RawHttp.signedHead("PUT", node.port(), "/utf/forged",
                Map.of("x-amz-meta-note", "caf\u00e9", "Content-Length", "0"));
        String forged = head.replace("caf\u00e9", "caf\u00e8");
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(forged);
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.text()).contains("<Code>SignatureDoesNotMatch</Code>");
        }
    }

    /**
     * The SDK v2 signs the UTF-8 of its metadata but its HTTP clients send ISO-8859-1 bytes
     * (aws/aws-sdk-java-v2#2624): AWS refuses that; the node verifies it as what it is, the same bytes.
     */
    @Test
    void sdkMetadataSentAsIso88591IsAccepted() {
        s3.putObject(r -> r.bucket("utf").key("sdk").metadata(Map.of("note", "caf\u00e9")), RequestBody.fromString("x"));
        assertThat(node.server().engine().headObject("utf", "sdk").metadata().entries())
                .containsEntry("x-amz-meta-note", "caf\u00e9");
    }

    @Test
    void nonAsciiResponseOverrideIsSentAsUtf8() {
        s3.putObject(r -> r.bucket("utf").key("plain"), RequestBody.fromString("x"));
        String disposition = "attachment; filename=\"\u65e5\u672c.txt\"";
        String query = "response-content-disposition=" + URLEncoder.encode(disposition, StandardCharsets.UTF_8)
                .replace("+", "%20");
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("GET", node.port(), "/utf/plain?" + query, Map.of()));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().get("content-disposition")).isEqualTo(disposition);
        }
    }

    /** A client that sends the path's UTF-8 bytes unescaped signs their escaped form; both name one key. */
    @Test
    void rawUtf8PathVerifiesAsItsEscapedForm() {
        s3.putObject(r -> r.bucket("utf").key("\u65e5\u672c.txt"), RequestBody.fromString("nihon"));
        String head = RawHttp.signedHead("GET", node.port(), "/utf/%E6%97%A5%E6%9C%AC.txt", Map.of());
        String raw = head.replace("/utf/%E6%97%A5%E6%9C%AC.txt", "/utf/\u65e5\u672c.txt");
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(raw);
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("nihon");
        }
    }
}
