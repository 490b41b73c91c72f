package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;

/** Every request is authenticated: bad signatures, unknown keys, skewed clocks, presigned URLs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthTest {
    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-auth");
        node = TestNode.start(dir);
        s3 = node.client(false);
        s3.createBucket(b -> b.bucket("auth"));
        s3.putObject(r -> r.bucket("auth").key("obj"), RequestBody.fromString("secret content"));
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
    void wrongSecretIsSignatureDoesNotMatch() {
        try (S3Client bad = node.client(TestNode.ACCESS_KEY, "not-the-secret", false)) {
            assertThatThrownBy(() -> bad.getObjectAsBytes(r -> r.bucket("auth").key("obj")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                    });
            assertThatThrownBy(() -> bad.putObject(r -> r.bucket("auth").key("new"), RequestBody.fromString("x")))
                    .isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
        }
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("auth").key("new"))).isInstanceOf(S3Exception.class);
    }

    @Test
    void unknownKeyIsInvalidAccessKeyId() {
        try (S3Client bad = node.client("AKIAUNKNOWNKEY000000", "whatever", true)) {
            assertThatThrownBy(() -> bad.listBuckets())
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
                    });
        }
    }

    @Test
    void skewedClockIsRequestTimeTooSkewed() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC);
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("GET", node.port(), "/auth/obj", Map.of(), TestNode.ACCESS_KEY,
                    TestNode.SECRET_KEY, past, null));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.text()).contains("<Code>RequestTimeTooSkewed</Code>");
        }
    }

    @Test
    void presignedGetAndPut() throws Exception {
        try (S3Presigner p = node.presigner()) {
            PresignedGetObjectRequest get = p.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("auth").key("obj")));
            HttpURLConnection conn = (HttpURLConnection) get.url().openConnection();
            assertThat(conn.getResponseCode()).isEqualTo(200);
            try (InputStream in = conn.getInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("secret content");
            }

            PresignedPutObjectRequest put = p.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket("auth").key("uploaded")));
            HttpURLConnection up = (HttpURLConnection) put.url().openConnection();
            up.setRequestMethod("PUT");
            up.setDoOutput(true);
            put.signedHeaders().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("host")) {
                    v.forEach(val -> up.addRequestProperty(k, val));
                }
            });
            try (OutputStream out = up.getOutputStream()) {
                out.write("via presigned url".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(up.getResponseCode()).isEqualTo(200);
            assertThat(s3.getObjectAsBytes(r -> r.bucket("auth").key("uploaded")).asUtf8String())
                    .isEqualTo("via presigned url");

            String id = s3.createMultipartUpload(r -> r.bucket("auth").key("mp")).uploadId();
            PresignedUploadPartRequest part = p.presignUploadPart(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .uploadPartRequest(u -> u.bucket("auth").key("mp").uploadId(id).partNumber(1)));
            HttpURLConnection pc = (HttpURLConnection) part.url().openConnection();
            pc.setRequestMethod("PUT");
            pc.setDoOutput(true);
            try (OutputStream out = pc.getOutputStream()) {
                out.write(new byte[1234]);
            }
            assertThat(pc.getResponseCode()).isEqualTo(200);
            assertThat(s3.listParts(r -> r.bucket("auth").key("mp").uploadId(id)).parts().get(0).size())
                    .isEqualTo(1234);
        }
    }

    @Test
    void expiredAndTamperedPresignedUrlsAreDenied() throws Exception {
        Clock hourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("GET", node.port(), "/auth/obj", Map.of(), TestNode.ACCESS_KEY,
                    TestNode.SECRET_KEY, hourAgo, Duration.ofMinutes(10)));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.text()).contains("<Code>AccessDenied</Code>").contains("expired");
        }
        try (S3Presigner p = node.presigner()) {
            URL url = p.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("auth").key("obj"))).url();
            URL tampered = new URL(url.toString().replace("/auth/obj", "/auth/other"));
            HttpURLConnection conn = (HttpURLConnection) tampered.openConnection();
            assertThat(conn.getResponseCode()).isEqualTo(403);
            try (InputStream err = conn.getErrorStream()) {
                assertThat(new String(err.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("<Code>SignatureDoesNotMatch</Code>");
            }
        }
    }
}
