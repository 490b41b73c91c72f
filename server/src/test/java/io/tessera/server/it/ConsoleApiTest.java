package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.console.ConsoleConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The console's API over raw HTTP, for what a browser would never show: who may sign in, what the session
 * cookie is, the refusals of requests without the CSRF token or from another origin, downloads served so
 * that an HTML object cannot run as the console, and uploads streamed into the engine, cut ones leaving
 * nothing behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TestNode node;
    private S3Client s3;

    @BeforeEach
    void start() {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps().withConsole(ConsoleConfig.defaults()
                .withSampleInterval(Duration.ofMillis(100)).withPartSize(16 * 1024)));
        s3 = node.client(true);
    }

    @AfterEach
    void stop() {
        s3.close();
        node.close();
    }

    private int port() {
        return node.server().adminAddress().getPort();
    }

    private String cookieName() {
        return "tessera_console_" + port();
    }

    /** A signed-in session: its cookie and CSRF token. */
    private record Session(String cookie, String csrf) {
    }

    private RawHttp.Response request(String method, String target, Map<String, String> headers, byte[] body) {
        try (RawHttp c = new RawHttp(port())) {
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                    + "\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            c.send(head.append("\r\n").toString());
            if (body != null) {
                c.send(body);
            }
            return c.read(!method.equals("HEAD"));
        }
    }

    private RawHttp.Response as(Session s, String method, String target) {
        return as(s, method, target, null);
    }

    private RawHttp.Response as(Session s, String method, String target, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cookie", "other=1; " + cookieName() + "=" + s.cookie());
        h.put("X-Tessera-Csrf", s.csrf());
        h.put("Origin", "http://127.0.0.1:" + port());
        h.put("Sec-Fetch-Site", "same-origin");
        return request(method, target, h, body);
    }

    private Session signIn() {
        RawHttp.Response r = signedLogin(TestNode.ACCESS_KEY, TestNode.SECRET_KEY);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        String setCookie = r.headers().get("set-cookie");
        String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        return new Session(value, json(r).get("csrf").asText());
    }

    private RawHttp.Response signedLogin(String accessKey, String secretKey) {
        try (RawHttp c = new RawHttp(port())) {
            c.send(RawHttp.signedHead("POST", port(), "/console/api/login", Map.of(), accessKey, secretKey, null, null));
            return c.read(true);
        }
    }

    private static JsonNode json(RawHttp.Response r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.text(), e);
        }
    }

    @Test
    void anyoneGetsThePageButNoDataWithoutSigningIn() {
        RawHttp.Response page = request("GET", "/console/", Map.of(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().get("content-type")).startsWith("text/html");
        assertThat(page.headers().get("content-security-policy")).contains("default-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(page.headers().get("x-frame-options")).isEqualTo("DENY");
        assertThat(page.text()).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertThat(request("GET", "/console/app.js", Map.of(), null).headers().get("content-type"))
                .startsWith("text/javascript");
        RawHttp.Response bare = request("GET", "/console", Map.of(), null);
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.headers().get("location")).isEqualTo("/console/");
        assertThat(request("GET", "/console/secrets.txt", Map.of(), null).status()).isEqualTo(404);
        assertThat(request("GET", "/console/../admin/status", Map.of(), null).status()).isEqualTo(404);

        RawHttp.Response session = request("GET", "/console/api/session", Map.of(), null);
        assertThat(json(session).get("signedIn").asBoolean()).isFalse();
        assertThat(json(session).get("region").asText()).isEqualTo("us-east-1");
        for (String path : new String[] {"status", "history", "buckets", "uploads", "objects?bucket=b"}) {
            RawHttp.Response r = request("GET", "/console/api/" + path, Map.of(), null);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(json(r).get("error").asText()).isEqualTo("NotSignedIn");
        }
        RawHttp.Response forged = request("GET", "/console/api/status",
                Map.of("Cookie", cookieName() + "=made-up-token"), null);
        assertThat(forged.status()).isEqualTo(401);
        // the admin API and health stay where they were
        assertThat(AdminHttp.unsigned(port(), "GET", "/health/live").status()).isEqualTo(200);
        assertThat(AdminHttp.admin(port(), "GET", "/admin/status").status()).isEqualTo(200);
    }

    @Test
    void onlyASignatureByTheAdminKeySignsInAndTheCookieHoldsNoSecret() {
        assertThat(request("POST", "/console/api/login", Map.of(), null).status()).isEqualTo(403);
        RawHttp.Response wrongSecret = signedLogin(TestNode.ACCESS_KEY, "wrong");
        assertThat(wrongSecret.status()).isEqualTo(403);
        assertThat(json(wrongSecret).get("error").asText()).isEqualTo("SignatureDoesNotMatch");
        // a key the S3 port knows, but not the admin key
        RawHttp.Response otherKey = signedLogin(TestNode.OTHER_ACCESS_KEY, TestNode.OTHER_SECRET_KEY);
        assertThat(otherKey.status()).isEqualTo(403);
        assertThat(otherKey.headers()).doesNotContainKey("set-cookie");

        RawHttp.Response ok = signedLogin(TestNode.ACCESS_KEY, TestNode.SECRET_KEY);
        assertThat(ok.status()).isEqualTo(200);
        String setCookie = ok.headers().get("set-cookie");
        assertThat(setCookie).startsWith(cookieName() + "=").contains("; Path=/console;").contains("; HttpOnly")
                .contains("; SameSite=Strict").contains("; Max-Age=43200").doesNotContain(TestNode.SECRET_KEY);
        JsonNode body = json(ok);
        assertThat(body.get("signedIn").asBoolean()).isTrue();
        assertThat(body.get("accessKeyId").asText()).isEqualTo(TestNode.ACCESS_KEY);
        assertThat(body.get("partSize").asLong()).isEqualTo(16 * 1024);
        assertThat(body.toString()).doesNotContain(TestNode.SECRET_KEY);

        Session s = signIn();
        RawHttp.Response status = as(s, "GET", "/console/api/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(json(status).get("space").get("buckets").asLong()).isZero();
        RawHttp.Response session = as(s, "GET", "/console/api/session");
        assertThat(json(session).get("csrf").asText()).isEqualTo(s.csrf());
    }

    @Test
    void changesNeedTheCsrfTokenAndTheConsolesOwnOrigin() {
        Session s = signIn();
        String cookie = cookieName() + "=" + s.cookie();
        RawHttp.Response noToken = request("POST", "/console/api/buckets?name=made-by-csrf", Map.of("Cookie", cookie),
                null);
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(json(noToken).get("error").asText()).isEqualTo("InvalidCsrfToken");
        RawHttp.Response wrongToken = request("POST", "/console/api/buckets?name=made-by-csrf",
                Map.of("Cookie", cookie, "X-Tessera-Csrf", s.csrf() + "x"), null);
        assertThat(wrongToken.status()).isEqualTo(403);
        RawHttp.Response otherOrigin = request("POST", "/console/api/buckets?name=made-by-csrf",
                Map.of("Cookie", cookie, "X-Tessera-Csrf", s.csrf(), "Origin", "http://127.0.0.1:9000"), null);
        assertThat(otherOrigin.status()).isEqualTo(403);
        assertThat(json(otherOrigin).get("error").asText()).isEqualTo("CrossOriginRequest");
        // an object served by the S3 port is the same site, not the same origin
        RawHttp.Response sameSite = request("GET", "/console/api/buckets",
                Map.of("Cookie", cookie, "Sec-Fetch-Site", "same-site"), null);
        assertThat(sameSite.status()).isEqualTo(403);
        assertThat(s3.listBuckets().buckets()).isEmpty();

        assertThat(as(s, "POST", "/console/api/buckets?name=made-by-console").status()).isEqualTo(204);
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("made-by-console");
        RawHttp.Response bad = as(s, "POST", "/console/api/buckets?name=Not_A_Bucket");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).isEqualTo("InvalidBucketName");
    }

    @Test
    void aDownloadIsAnAttachmentInASandboxWhateverTheObjectSays() {
        Session s = signIn();
        s3.createBucket(b -> b.bucket("site"));
        String html = "<script>fetch('/console/api/uploads/abort')</script>";
        s3.putObject(b -> b.bucket("site").key("pages/index \"x\".html").contentType("text/html"),
                RequestBody.fromString(html));
        RawHttp.Response r = as(s, "GET", "/console/api/object?bucket=site&key=pages%2Findex%20%22x%22.html");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(html);
        assertThat(r.headers().get("content-type")).isEqualTo("application/octet-stream");
        assertThat(r.headers().get("content-disposition"))
                .isEqualTo("attachment; filename=\"index _x_.html\"; filename*=UTF-8''index%20%22x%22.html");
        assertThat(r.headers().get("content-security-policy")).contains("sandbox");
        assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
        RawHttp.Response missing = as(s, "GET", "/console/api/object?bucket=site&key=nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("NoSuchKey");
    }

    @Test
    void uploadsStreamIntoTheEngineAndACutOneLeavesNothing() throws Exception {
        Session s = signIn();
        s3.createBucket(b -> b.bucket("upl"));
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        RawHttp.Response put = as(s, "PUT", "/console/api/object?bucket=upl&key=big%2Bplus.bin", big);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(json(put).get("size").asLong()).isEqualTo(big.length);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("upl").key("big+plus.bin")).asByteArray()).isEqualTo(big);

        // multipart: start, two parts, complete with every part the upload holds
        JsonNode started = json(as(s, "POST", "/console/api/multipart?bucket=upl&key=mp.bin"));
        String id = started.get("uploadId").asText();
        byte[] p1 = new byte[16 * 1024];
        byte[] p2 = "tail".getBytes(StandardCharsets.UTF_8);
        assertThat(as(s, "PUT", "/console/api/multipart/part?bucket=upl&key=mp.bin&uploadId=" + id + "&part=1", p1)
                .status()).isEqualTo(200);
        assertThat(as(s, "PUT", "/console/api/multipart/part?bucket=upl&key=mp.bin&uploadId=" + id + "&part=2", p2)
                .status()).isEqualTo(200);
        JsonNode uploads = json(as(s, "GET", "/console/api/uploads?bucket=upl"));
        assertThat(uploads.get("count").asLong()).isEqualTo(1);
        assertThat(uploads.get("bytes").asLong()).isEqualTo(p1.length + p2.length);
        RawHttp.Response done = as(s, "POST", "/console/api/multipart/complete?bucket=upl&key=mp.bin&uploadId=" + id);
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        assertThat(json(done).get("etag").asText()).endsWith("-2\"");
        assertThat(s3.headObject(b -> b.bucket("upl").key("mp.bin")).contentLength()).isEqualTo(p1.length + p2.length);

        // a part for an upload that does not exist: refused, the connection closed with the body unread
        RawHttp.Response noUpload = as(s, "PUT", "/console/api/multipart/part?bucket=upl&key=x&uploadId=nope&part=1",
                new byte[1000]);
        assertThat(noUpload.status()).isEqualTo(404);
        assertThat(noUpload.headers().get("connection")).isEqualTo("close");

        // no Content-Length (chunked): refused
        try (RawHttp c = new RawHttp(port())) {
            c.send("PUT /console/api/object?bucket=upl&key=chunked HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                    + "\r\nCookie: " + cookieName() + "=" + s.cookie() + "\r\nX-Tessera-Csrf: " + s.csrf()
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertThat(c.read(true).status()).isEqualTo(411);
        }

        // half a body, then the client hangs up: nothing is committed and the write lane comes back
        try (RawHttp c = new RawHttp(port())) {
            c.send("PUT /console/api/object?bucket=upl&key=cut HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                    + "\r\nCookie: " + cookieName() + "=" + s.cookie() + "\r\nX-Tessera-Csrf: " + s.csrf()
                    + "\r\nContent-Length: 1000000\r\n\r\n");
            c.send(new byte[500_000]);
        }
        AdminHttp.await("the cut upload's write lane is free", Duration.ofSeconds(10),
                () -> node.server().engine().busyWriteLanes() == 0);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("upl").key("cut"))).isInstanceOf(NoSuchKeyException.class);
        // and the node still takes uploads
        assertThat(as(s, "PUT", "/console/api/object?bucket=upl&key=after", new byte[10]).status()).isEqualTo(200);
    }

    @Test
    void uploadsInProgressAreCountedWholeAndListedInPart() {
        Session s = signIn();
        s3.createBucket(b -> b.bucket("many"));
        s3.createBucket(b -> b.bucket("other"));
        for (String key : new String[] {"a", "b", "c"}) {
            String id = s3.createMultipartUpload(b -> b.bucket("many").key(key)).uploadId();
            s3.uploadPart(b -> b.bucket("many").key(key).uploadId(id).partNumber(1),
                    RequestBody.fromBytes(new byte[1000]));
        }
        s3.createMultipartUpload(b -> b.bucket("other").key("z"));
        JsonNode two = json(as(s, "GET", "/console/api/uploads?limit=2"));
        assertThat(two.get("count").asLong()).isEqualTo(4);
        assertThat(two.get("bytes").asLong()).isEqualTo(3000);
        assertThat(two.get("truncated").asBoolean()).isTrue();
        assertThat(two.get("uploads")).extracting(u -> u.get("key").asText()).containsExactly("a", "b");
        assertThat(two.get("uploads").get(0).get("bytes").asLong()).isEqualTo(1000);
        assertThat(two.get("uploads").get(0).get("parts").asInt()).isEqualTo(1);
        JsonNode all = json(as(s, "GET", "/console/api/uploads"));
        assertThat(all.get("truncated").asBoolean()).isFalse();
        assertThat(all.get("uploads")).extracting(u -> u.get("bucket").asText() + "/" + u.get("key").asText())
                .containsExactly("many/a", "many/b", "many/c", "other/z");
        JsonNode other = json(as(s, "GET", "/console/api/uploads?bucket=other"));
        assertThat(other.get("count").asLong()).isEqualTo(1);
        assertThat(other.get("bytes").asLong()).isZero();
        assertThat(as(s, "GET", "/console/api/uploads?bucket=nothere").status()).isEqualTo(404);
    }

    @Test
    void aNodeWithTheConsoleOffServesNoneOfIt() {
        try (TestNode off = TestNode.start(TestNode.baseConfig(dir.resolve("off")),
                TestNode.adminOps().withConsole(ConsoleConfig.defaults().withEnabled(false)))) {
            int p = off.server().adminAddress().getPort();
            assertThat(AdminHttp.unsigned(p, "GET", "/console/").status()).isEqualTo(404);
            assertThat(AdminHttp.unsigned(p, "GET", "/console/api/session").status()).isEqualTo(404);
            assertThat(AdminHttp.unsigned(p, "GET", "/health/live").status()).isEqualTo(200);
        }
    }

    @Test
    void theGroupOfANodeOnItsOwnIsNotFoundAndNeedsASession() {
        assertThat(request("GET", "/console/api/cluster", Map.of(), null).status()).isEqualTo(401);
        Session s = signIn();
        RawHttp.Response r = as(s, "GET", "/console/api/cluster");
        assertThat(r.status()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("NotInGroup");
    }

    @Test
    void signingOutEndsTheSessionOnTheNode() {
        Session s = signIn();
        assertThat(as(s, "GET", "/console/api/buckets").status()).isEqualTo(200);
        RawHttp.Response out = as(s, "POST", "/console/api/logout");
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.headers().get("set-cookie")).startsWith(cookieName() + "=;").contains("Max-Age=0");
        assertThat(as(s, "GET", "/console/api/buckets").status()).isEqualTo(401);
    }

    @Test
    void theHistoryKeepsSamplesInOrderAndAnswersOnlyWhatIsNew() {
        Session s = signIn();
        AdminHttp.await("three samples", Duration.ofSeconds(10),
                () -> json(as(s, "GET", "/console/api/history")).get("samples").size() >= 3);
        JsonNode all = json(as(s, "GET", "/console/api/history"));
        assertThat(all.get("intervalSeconds").asDouble()).isEqualTo(0.1);
        long last = 0;
        for (JsonNode sample : all.get("samples")) {
            assertThat(sample.get("seq").asLong()).isEqualTo(last + 1);
            last = sample.get("seq").asLong();
        }
        long after = last;
        JsonNode newer = json(as(s, "GET", "/console/api/history?after=" + after));
        for (JsonNode sample : newer.get("samples")) {
            assertThat(sample.get("seq").asLong()).isGreaterThan(after);
        }
    }
}
