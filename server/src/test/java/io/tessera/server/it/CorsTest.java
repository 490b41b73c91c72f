package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Bucket CORS through a real node: Put/Get/DeleteBucketCors with the SDK, preflights and actual
 * cross-origin requests with raw HTTP. A browser doing a whole multipart upload is {@link BrowserUploadTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CorsTest {
    private static final String B = "cors";
    private static final String APP = "https://app.example.com";
    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-cors");
        node = TestNode.start(dir);
        s3 = node.client(false);
        s3.createBucket(b -> b.bucket(B));
        s3.createBucket(b -> b.bucket("nocors"));
        s3.putBucketCors(r -> r.bucket(B).corsConfiguration(c -> c.corsRules(
                CORSRule.builder().id("app").allowedOrigins(APP, "http://*.dev.example").allowedMethods("PUT", "POST",
                        "GET").allowedHeaders("content-type", "x-amz-*").exposeHeaders("ETag", "x-amz-request-id")
                        .maxAgeSeconds(600).build(),
                CORSRule.builder().allowedOrigins("*").allowedMethods("GET", "HEAD").build())));
        s3.putObject(r -> r.bucket(B).key("obj"), RequestBody.fromString("x"));
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

    private RawHttp.Response options(String path, String... headers) {
        try (RawHttp c = new RawHttp(node.port())) {
            StringBuilder head = new StringBuilder("OPTIONS " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + node.port()
                    + "\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            c.send(head.append("\r\n").toString());
            return c.read(true);
        }
    }

    @Test
    void rulesReadBackAsWritten() {
        List<CORSRule> rules = s3.getBucketCors(r -> r.bucket(B)).corsRules();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).id()).isEqualTo("app");
        assertThat(rules.get(0).allowedOrigins()).containsExactly(APP, "http://*.dev.example");
        assertThat(rules.get(0).allowedMethods()).containsExactly("PUT", "POST", "GET");
        assertThat(rules.get(0).allowedHeaders()).containsExactly("content-type", "x-amz-*");
        assertThat(rules.get(0).exposeHeaders()).containsExactly("ETag", "x-amz-request-id");
        assertThat(rules.get(0).maxAgeSeconds()).isEqualTo(600);
        assertThat(rules.get(1).allowedOrigins()).containsExactly("*");

        S3Exception e = catchThrowableOfType(S3Exception.class, () -> s3.getBucketCors(r -> r.bucket("nocors")));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchCORSConfiguration");
    }

    @Test
    void aMatchingPreflightIsAnsweredWithoutAuthentication() {
        RawHttp.Response r = options("/" + B + "/some/key?partNumber=1&uploadId=x", "Origin: " + APP,
                "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: Content-Type, X-Amz-Date",
                "Authorization: AWS4-HMAC-SHA256 garbage");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("access-control-allow-origin", APP)
                .containsEntry("access-control-allow-methods", "PUT, POST, GET")
                .containsEntry("access-control-allow-headers", "content-type, x-amz-date")
                .containsEntry("access-control-expose-headers", "ETag, x-amz-request-id")
                .containsEntry("access-control-max-age", "600")
                .containsEntry("access-control-allow-credentials", "true");
        assertThat(r.headers().get("vary")).contains("Origin").contains("Access-Control-Request-Method");

        r = options("/" + B, "Origin: http://feature.dev.example", "Access-Control-Request-Method: POST");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("access-control-allow-origin", "http://feature.dev.example");

        r = options("/" + B + "/obj", "Origin: https://anyone.example", "Access-Control-Request-Method: GET");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("access-control-allow-origin", "*")
                .doesNotContainKey("access-control-allow-credentials");
    }

    @Test
    void preflightsThatNoRuleAllowsAreRefused() {
        for (String[] h : List.of(
                new String[] {"Origin: https://app.example.com:443", "Access-Control-Request-Method: PUT"},
                new String[] {"Origin: https://feature.dev.example", "Access-Control-Request-Method: PUT"},
                new String[] {"Origin: " + APP, "Access-Control-Request-Method: DELETE"},
                new String[] {"Origin: " + APP, "Access-Control-Request-Method: PUT",
                    "Access-Control-Request-Headers: x-custom"},
                new String[] {"Origin: https://anyone.example", "Access-Control-Request-Method: PUT"})) {
            RawHttp.Response r = options("/" + B + "/k", h);
            assertThat(r.status()).as(String.join(" ", h)).isEqualTo(403);
            assertThat(r.text()).contains("<Code>AccessForbidden</Code>").contains("<Method>OPTIONS</Method>")
                    .contains("<ResourceType>OBJECT</ResourceType>");
            assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
        }
        RawHttp.Response r = options("/nocors/k", "Origin: " + APP, "Access-Control-Request-Method: GET");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("CORS is not enabled for this bucket.");

        r = options("/" + B + "/k", "Access-Control-Request-Method: GET");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("<Code>BadRequest</Code>").contains("Origin request header needed");
        r = options("/" + B + "/k", "Origin: " + APP);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("Invalid Access-Control-Request-Method: null");
        r = options("/" + B + "/k", "Origin: " + APP, "Access-Control-Request-Method: PATCH");
        assertThat(r.status()).isEqualTo(400);
    }

    private RawHttp.Response signed(String method, String path, String origin) {
        try (RawHttp c = new RawHttp(node.port())) {
            java.util.Map<String, String> h = origin == null ? java.util.Map.of() : java.util.Map.of("Origin", origin);
            c.send(RawHttp.signedHead(method, node.port(), path, h));
            return c.read(!method.equals("HEAD"));
        }
    }

    @Test
    void actualRequestsGetTheHeadersOfTheirRuleErrorsIncluded() {
        RawHttp.Response r = signed("GET", "/" + B + "/obj", APP);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("access-control-allow-origin", APP)
                .containsEntry("access-control-expose-headers", "ETag, x-amz-request-id")
                .containsEntry("vary", "Origin").doesNotContainKey("access-control-allow-headers");

        r = signed("GET", "/" + B + "/missing", APP);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.headers()).containsEntry("access-control-allow-origin", APP);

        r = signed("HEAD", "/" + B + "/obj", "https://anyone.example");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("access-control-allow-origin", "*");

        // no matching rule (DELETE is allowed to nobody), no Origin, no configuration: unchanged answers
        r = signed("DELETE", "/" + B + "/nothing", APP);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
        r = signed("GET", "/" + B + "/obj", null);
        assertThat(r.headers()).doesNotContainKey("access-control-allow-origin").doesNotContainKey("vary");
        r = signed("GET", "/nocors", APP);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void invalidConfigurationsAreRefusedAndDeletionTurnsCorsOff() {
        s3.createBucket(b -> b.bucket("cors-edit"));
        for (CORSRule bad : List.of(
                CORSRule.builder().allowedOrigins("*").allowedMethods("PATCH").build(),
                CORSRule.builder().allowedOrigins("http://*.*.example").allowedMethods("GET").build(),
                CORSRule.builder().allowedOrigins("*").allowedMethods("GET").allowedHeaders("bad header").build())) {
            S3Exception e = catchThrowableOfType(S3Exception.class, () -> s3.putBucketCors(r -> r.bucket("cors-edit")
                    .corsConfiguration(c -> c.corsRules(bad))));
            assertThat(e.statusCode()).as(bad.toString()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
        }
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> s3.putBucketCors(r -> r.bucket("cors-edit")
                .corsConfiguration(c -> c.corsRules(CORSRule.builder().allowedMethods("GET").build()))));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedXML");
        assertThat(catchThrowableOfType(S3Exception.class, () -> s3.getBucketCors(r -> r.bucket("cors-edit")))
                .statusCode()).isEqualTo(404);

        s3.putBucketCors(r -> r.bucket("cors-edit").corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("*").allowedMethods("GET").build())));
        assertThat(options("/cors-edit/k", "Origin: " + APP, "Access-Control-Request-Method: GET").status())
                .isEqualTo(200);
        s3.deleteBucketCors(r -> r.bucket("cors-edit"));
        assertThat(options("/cors-edit/k", "Origin: " + APP, "Access-Control-Request-Method: GET").status())
                .isEqualTo(403);
        assertThat(catchThrowableOfType(S3Exception.class, () -> s3.getBucketCors(r -> r.bucket("cors-edit")))
                .awsErrorDetails().errorCode()).isEqualTo("NoSuchCORSConfiguration");
    }
}
