package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Browser form uploads ({@code POST /{Bucket}} with {@code multipart/form-data}) through a real node over
 * raw HTTP, with policies signed here as a web application's back end would sign them: what a valid form
 * stores and answers, and every way a form is refused (policy, signature, framing, permissions), none of
 * which stores anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostObjectTest {
    private static final String B = "forms";
    private static final String BOUNDARY = "----TesseraFormBoundary7MA4YWxkTrZu0gW";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-post");
        node = TestNode.start(dir);
        s3 = node.client(false);
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

    /** A form: its fields in order (the file last), signed with a policy unless told otherwise. */
    static class Form {
        final List<String[]> fields = new ArrayList<>();
        final List<String> conditions = new ArrayList<>();
        final String date = AMZ_DATE.format(Instant.now());
        String accessKey = TestNode.ACCESS_KEY;
        String secretKey = TestNode.SECRET_KEY;
        String region = "us-east-1";
        Instant expiration = Instant.now().plus(1, ChronoUnit.HOURS);
        String filename = "hello.txt";
        byte[] file = "hello, form".getBytes(StandardCharsets.UTF_8);
        List<String[]> afterFile = new ArrayList<>();

        Form(String key) {
            field("key", key);
        }

        /** A field with a matching exact condition. */
        Form field(String name, String value) {
            fields.add(new String[] {name, value});
            return condition("{\"" + name + "\": \"" + value.replace("\"", "\\\"") + "\"}");
        }

        Form unconditioned(String name, String value) {
            fields.add(new String[] {name, value});
            return this;
        }

        Form condition(String json) {
            conditions.add(json);
            return this;
        }

        String credential() {
            return accessKey + "/" + date.substring(0, 8) + "/" + region + "/s3/aws4_request";
        }

        String policy() {
            List<String> all = new ArrayList<>(conditions);
            all.add("{\"bucket\": \"" + B + "\"}");
            all.add("{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}");
            all.add("{\"x-amz-credential\": \"" + credential() + "\"}");
            all.add("{\"x-amz-date\": \"" + date + "\"}");
            String json = "{\"expiration\": \"" + expiration.truncatedTo(ChronoUnit.MILLIS) + "\", \"conditions\": ["
                    + String.join(", ", all) + "]}";
            return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }

        /** The signed fields, then the form's own, then the file. */
        byte[] body() {
            String policy = policy();
            List<String[]> all = new ArrayList<>(fields);
            all.add(new String[] {"x-amz-algorithm", "AWS4-HMAC-SHA256"});
            all.add(new String[] {"x-amz-credential", credential()});
            all.add(new String[] {"x-amz-date", date});
            all.add(new String[] {"policy", policy});
            all.add(new String[] {"x-amz-signature", sign(secretKey, date.substring(0, 8), region, policy)});
            return encode(all, filename, file, afterFile);
        }
    }

    static byte[] encode(List<String[]> fields, String filename, byte[] file, List<String[]> afterFile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] f : fields) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n"
                    + f[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (file != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        for (String[] f : afterFile) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n"
                    + f[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static String sign(String secret, String day, String region, String policy) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
        k = hmac(k, region);
        k = hmac(k, "s3");
        k = hmac(k, "aws4_request");
        return HexFormat.of().formatHex(hmac(k, policy));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private RawHttp.Response post(byte[] body) {
        return post(body, "multipart/form-data; boundary=" + BOUNDARY, "");
    }

    private RawHttp.Response post(byte[] body, String contentType, String extraHeaders) {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send("POST /" + B + " HTTP/1.1\r\nHost: 127.0.0.1:" + node.port() + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + body.length + "\r\n" + extraHeaders + "\r\n");
            c.send(body);
            return c.read(true);
        }
    }

    private boolean exists(String key) {
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> s3.headObject(r -> r.bucket(B).key(key)));
        if (e != null) {
            assertThat(e.statusCode()).isEqualTo(404);
        }
        return e == null;
    }

    @Test
    void aSignedFormStoresItsFileWithMetadataTagsAndAcl() {
        Form f = new Form("uploads/${filename}").condition("[\"starts-with\", \"$key\", \"uploads/\"]");
        f.field("Content-Type", "text/plain").field("x-amz-meta-note", "from a form")
                .field("tagging", "<Tagging><TagSet><Tag><Key>src</Key><Value>form</Value></Tag></TagSet></Tagging>")
                .field("acl", "public-read").field("success_action_status", "201")
                .condition("[\"content-length-range\", 1, 1048576]");
        f.conditions.remove(0); // the exact key condition: the starts-with one covers the key
        RawHttp.Response r = post(f.body());

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.text()).contains("<PostResponse xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .contains("<Bucket>forms</Bucket>").contains("<Key>uploads/hello.txt</Key>")
                .contains("<Location>http://127.0.0.1:" + node.port() + "/forms/uploads/hello.txt</Location>");
        String etag = r.headers().get("etag");
        assertThat(r.text()).contains("<ETag>&quot;" + etag.replace("\"", "") + "&quot;</ETag>");

        GetObjectResponse head = s3.getObject(q -> q.bucket(B).key("uploads/hello.txt"), (resp, in) -> {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello, form");
            return resp;
        });
        assertThat(head.eTag()).isEqualTo(etag);
        assertThat(head.contentType()).isEqualTo("text/plain");
        assertThat(head.metadata()).containsEntry("note", "from a form");
        assertThat(s3.getObjectTagging(q -> q.bucket(B).key("uploads/hello.txt")).tagSet())
                .containsExactly(Tag.builder().key("src").value("form").build());
        try (RawHttp c = new RawHttp(node.port())) {
            c.send("GET /forms/uploads/hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(c.read(true).text()).as("public-read, anonymously").isEqualTo("hello, form");
        }
    }

    @Test
    void theAnswerIsWhatTheFormAsksFor() {
        RawHttp.Response r = post(new Form("status-default").body());
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers()).containsKey("etag").containsEntry("location",
                "http://127.0.0.1:" + node.port() + "/forms/status-default");

        r = post(new Form("status-200").field("success_action_status", "200").body());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        r = post(new Form("status-404").field("success_action_status", "404").body());
        assertThat(r.status()).isEqualTo(204);

        r = post(new Form("redirected key").field("success_action_redirect", "https://app.example/done?x=1").body());
        assertThat(r.status()).isEqualTo(303);
        String etag = r.headers().get("etag");
        assertThat(r.headers().get("location")).isEqualTo("https://app.example/done?x=1&bucket=forms"
                + "&key=redirected+key&etag=" + etag.replace("\"", "%22"));
        assertThat(exists("redirected key")).isTrue();
        r = post(new Form("bad-redirect").field("success_action_redirect", "not a url").body());
        assertThat(r.status()).isEqualTo(204);
    }

    @Test
    void aLargeFileStreamsThroughIntact() {
        byte[] big = new byte[6 * 1024 * 1024 + 17];
        new Random(11).nextBytes(big);
        Form f = new Form("big.bin");
        f.file = big;
        RawHttp.Response r = post(f.body());
        assertThat(r.status()).as(r.text()).isEqualTo(204);
        assertThat(s3.getObjectAsBytes(q -> q.bucket(B).key("big.bin")).asByteArray()).isEqualTo(big);
    }

    @Test
    void fieldNamesMatchWithoutCaseAndFieldsAfterTheFileAreIgnored() {
        Form f = new Form("case").unconditioned("X-Amz-Meta-Color", "blue").condition("[\"eq\", \"$x-amz-meta-color\","
                + " \"blue\"]");
        f.afterFile.add(new String[] {"x-amz-meta-late", "ignored"});
        RawHttp.Response r = post(f.body());
        assertThat(r.status()).as(r.text()).isEqualTo(204);
        assertThat(s3.headObject(q -> q.bucket(B).key("case")).metadata()).containsEntry("color", "blue")
                .doesNotContainKey("late");
    }

    private void refused(Form f, int status, String code, String message, String key) {
        refused(f.body(), status, code, message, key);
    }

    private void refused(byte[] body, int status, String code, String message, String key) {
        RawHttp.Response r = post(body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.text()).contains("<Code>" + code + "</Code>");
        if (message != null) {
            assertThat(r.text()).contains(message);
        }
        assertThat(exists(key)).as("a refused form stores nothing").isFalse();
    }

    @Test
    void formsThatBreakTheirPolicyAreRefused() {
        Form expired = new Form("expired");
        expired.expiration = Instant.now().minusSeconds(5);
        refused(expired, 403, "AccessDenied", "Invalid according to Policy: Policy expired.", "expired");

        Form wrongKey = new Form("k1");
        wrongKey.fields.set(0, new String[] {"key", "other"});
        refused(wrongKey, 403, "AccessDenied",
                "Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$key&quot;,"
                        + " &quot;k1&quot;]", "other");

        Form extra = new Form("extra").unconditioned("x-amz-meta-extra", "sneaky");
        refused(extra, 403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-extra",
                "extra");

        Form missing = new Form("missing").condition("[\"starts-with\", \"$Content-Type\", \"image/\"]");
        refused(missing, 403, "AccessDenied", "Policy Condition failed", "missing");

        Form tooBig = new Form("too-big").condition("[\"content-length-range\", 0, 10]");
        tooBig.file = new byte[11];
        refused(tooBig, 400, "EntityTooLarge", "<MaxSizeAllowed>10</MaxSizeAllowed>", "too-big");
        Form tooSmall = new Form("too-small").condition("[\"content-length-range\", 5, 10]");
        tooSmall.file = new byte[4];
        refused(tooSmall, 400, "EntityTooSmall", "<MinSizeAllowed>5</MinSizeAllowed>", "too-small");
        Form fits = new Form("fits").condition("[\"content-length-range\", 5, 10]");
        fits.file = new byte[10];
        assertThat(post(fits.body()).status()).isEqualTo(204);

        Form badJson = new Form("bad-json") {
            @Override
            String policy() {
                return Base64.getEncoder().encodeToString("{\"conditions\": [".getBytes(StandardCharsets.UTF_8));
            }
        };
        refused(badJson, 400, "InvalidPolicyDocument", null, "bad-json");
    }

    @Test
    void formsWithoutAValidSignatureAreRefused() {
        Form badSecret = new Form("bad-secret");
        badSecret.secretKey = "not the secret";
        refused(badSecret, 403, "SignatureDoesNotMatch", null, "bad-secret");

        Form unknown = new Form("unknown-key");
        unknown.accessKey = "AKIAUNKNOWNKEY000000";
        refused(unknown, 403, "InvalidAccessKeyId", null, "unknown-key");

        Form region = new Form("wrong-region");
        region.region = "eu-west-3";
        refused(region, 400, "InvalidArgument", "the region &quot;eu-west-3&quot; is wrong; expecting &quot;us-east-1"
                + "&quot;", "wrong-region");

        byte[] anonymous = encode(List.<String[]>of(new String[] {"key", "anon"}), "a.txt", new byte[3], List.of());
        refused(anonymous, 403, "AccessDenied", null, "anon");

        Form f = new Form("no-signature");
        List<String[]> fields = new ArrayList<>(f.fields);
        fields.add(new String[] {"x-amz-algorithm", "AWS4-HMAC-SHA256"});
        fields.add(new String[] {"x-amz-credential", f.credential()});
        fields.add(new String[] {"x-amz-date", f.date});
        fields.add(new String[] {"policy", f.policy()});
        refused(encode(fields, "a.txt", new byte[3], List.of()), 400, "InvalidArgument",
                "Bucket POST must contain a field named 'x-amz-signature'.", "no-signature");

        Form other = new Form("other-key");
        other.accessKey = TestNode.OTHER_ACCESS_KEY;
        other.secretKey = TestNode.OTHER_SECRET_KEY;
        refused(other, 403, "AccessDenied", null, "other-key");
    }

    @Test
    void formsThatAreNotWellFormedAreRefused() {
        RawHttp.Response r = post(new Form("urlencoded").body(), "application/x-www-form-urlencoded", "");
        assertThat(r.status()).isEqualTo(412);
        assertThat(r.text()).contains("<Code>PreconditionFailed</Code>")
                .contains("Bucket POST must be of the enclosure-type multipart/form-data");

        byte[] whole = new Form("truncated").body();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - ("--" + BOUNDARY + "--\r\n").length());
        refused(cut, 400, "MalformedPOSTRequest", null, "truncated");

        Form noFile = new Form("no-file");
        noFile.file = null;
        refused(noFile, 400, "InvalidArgument", "POST requires exactly one file upload per request.", "no-file");

        Form bloated = new Form("bloated").field("x-amz-meta-big", "x".repeat(21 * 1024));
        refused(bloated, 400, "MaxPostPreDataLengthExceededError", null, "bloated");
    }
}
