package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.keys.KeyStore;
import io.tessera.server.keys.Permissions;
import io.tessera.server.lifecycle.LifecycleRule;
import io.tessera.server.lifecycle.SweepReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule.Builder;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Bucket lifecycle through a real node and the AWS SDK: the configuration's round trip and S3's validation,
 * the owner permission it needs, the abort-date headers, and the scheduler aborting and expiring on a node
 * whose clock (engine and scheduler) is moved to the days that matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LifecycleTest {
    private Path dir;

    private TestNode node;
    private S3Client s3;
    private S3Client s3WhenRequired;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-lifecycle");
        node = TestNode.start(dir.resolve("node"));
        s3 = node.client(false);
        s3WhenRequired = node.client(true);
    }

    @AfterAll
    void stop() {
        s3.close();
        s3WhenRequired.close();
        node.close();
        TempDirs.delete(dir);
    }

    private static software.amazon.awssdk.services.s3.model.LifecycleRule rule(Consumer<Builder> b) {
        Builder builder = software.amazon.awssdk.services.s3.model.LifecycleRule.builder();
        b.accept(builder);
        return builder.build();
    }

    private static LifecycleRuleFilter prefix(String p) {
        return LifecycleRuleFilter.builder().prefix(p).build();
    }

    private static AbortIncompleteMultipartUpload abortAfter(int days) {
        return AbortIncompleteMultipartUpload.builder().daysAfterInitiation(days).build();
    }

    private static LifecycleExpiration expireAfter(int days) {
        return LifecycleExpiration.builder().days(days).build();
    }

    private void put(S3Client c, String bucket, software.amazon.awssdk.services.s3.model.LifecycleRule... rules) {
        c.putBucketLifecycleConfiguration(r -> r.bucket(bucket)
                .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(rules).build()));
    }

    private static S3Exception refused(Runnable call) {
        S3Exception e = catchThrowableOfType(S3Exception.class, call::run);
        assertThat(e).isNotNull();
        return e;
    }

    private static void assertError(S3Exception e, int status, String code) {
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    }

    @Test
    void configurationRoundTripsAndDeleteRemovesIt() {
        s3.createBucket(b -> b.bucket("round"));
        assertError(refused(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket("round"))), 404,
                "NoSuchLifecycleConfiguration");
        Instant date = Instant.parse("2099-11-10T00:00:00Z");
        for (S3Client c : List.of(s3, s3WhenRequired)) {
            put(c, "round",
                    rule(b -> b.id("abort-stale-mpu").filter(prefix("tmp/")).status(ExpirationStatus.ENABLED)
                            .abortIncompleteMultipartUpload(abortAfter(7))),
                    rule(b -> b.id("legacy").prefix("logs/").status(ExpirationStatus.DISABLED)
                            .expiration(expireAfter(30))),
                    rule(b -> b.filter(prefix("")).status(ExpirationStatus.ENABLED)
                            .expiration(LifecycleExpiration.builder().date(date).build())));
            var got = c.getBucketLifecycleConfiguration(r -> r.bucket("round")).rules();
            assertThat(got).hasSize(3);
            assertThat(got.get(0)).isEqualTo(rule(b -> b.id("abort-stale-mpu").filter(prefix("tmp/"))
                    .status(ExpirationStatus.ENABLED).abortIncompleteMultipartUpload(abortAfter(7))));
            assertThat(got.get(1)).isEqualTo(rule(b -> b.id("legacy").prefix("logs/")
                    .status(ExpirationStatus.DISABLED).expiration(expireAfter(30))));
            assertThat(got.get(2).id()).hasSize(48);
            assertThat(got.get(2).filter().prefix()).isEmpty();
            assertThat(got.get(2).expiration().date()).isEqualTo(date);
        }
        var response = s3.deleteBucketLifecycle(r -> r.bucket("round"));
        assertThat(response.sdkHttpResponse().statusCode()).isEqualTo(204);
        assertError(refused(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket("round"))), 404,
                "NoSuchLifecycleConfiguration");
        assertThat(s3.deleteBucketLifecycle(r -> r.bucket("round")).sdkHttpResponse().statusCode()).isEqualTo(204);

        // the configuration belongs to the bucket: a bucket created again under its name starts without one
        put(s3, "round", rule(b -> b.id("x").filter(prefix("")).status(ExpirationStatus.ENABLED)
                .expiration(expireAfter(1))));
        s3.deleteBucket(b -> b.bucket("round"));
        s3.createBucket(b -> b.bucket("round"));
        assertError(refused(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket("round"))), 404,
                "NoSuchLifecycleConfiguration");
        assertError(refused(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket("no-such-bucket"))), 404,
                "NoSuchBucket");
    }

    @Test
    void badConfigurationsAreRefusedAsS3RefusesThem() {
        s3.createBucket(b -> b.bucket("invalid"));
        put(s3, "invalid", rule(b -> b.id("kept").filter(prefix("")).status(ExpirationStatus.ENABLED)
                .expiration(expireAfter(9))));
        Map<String, software.amazon.awssdk.services.s3.model.LifecycleRule[]> invalidArgument = Map.of(
                "same ID", new software.amazon.awssdk.services.s3.model.LifecycleRule[] {
                    rule(b -> b.id("r").filter(prefix("a/")).status(ExpirationStatus.ENABLED)
                            .expiration(expireAfter(1))),
                    rule(b -> b.id("r").filter(prefix("b/")).status(ExpirationStatus.DISABLED)
                            .expiration(expireAfter(2)))},
                "Days 0", new software.amazon.awssdk.services.s3.model.LifecycleRule[] {
                    rule(b -> b.id("r").filter(prefix("")).status(ExpirationStatus.ENABLED)
                            .expiration(expireAfter(0)))},
                "DaysAfterInitiation -1", new software.amazon.awssdk.services.s3.model.LifecycleRule[] {
                    rule(b -> b.id("r").filter(prefix("")).status(ExpirationStatus.ENABLED)
                            .abortIncompleteMultipartUpload(abortAfter(-1)))},
                "Date not at midnight", new software.amazon.awssdk.services.s3.model.LifecycleRule[] {
                    rule(b -> b.id("r").filter(prefix("")).status(ExpirationStatus.ENABLED)
                            .expiration(LifecycleExpiration.builder()
                                    .date(Instant.parse("2099-11-10T12:00:00Z")).build()))},
                "ID of 256", new software.amazon.awssdk.services.s3.model.LifecycleRule[] {
                    rule(b -> b.id("i".repeat(256)).filter(prefix("")).status(ExpirationStatus.ENABLED)
                            .expiration(expireAfter(1)))});
        invalidArgument.forEach((why, rules) ->
                assertError(refused(() -> put(s3, "invalid", rules)), 400, "InvalidArgument"));

        List<software.amazon.awssdk.services.s3.model.LifecycleRule> many = new ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            int n = i;
            many.add(rule(b -> b.id("r" + n).filter(prefix("p" + n + "/")).status(ExpirationStatus.ENABLED)
                    .abortIncompleteMultipartUpload(abortAfter(1))));
        }
        assertError(refused(() -> put(s3, "invalid", many.toArray(
                new software.amazon.awssdk.services.s3.model.LifecycleRule[0]))), 400, "InvalidArgument");
        put(s3, "invalid", many.subList(0, 1000).toArray(new software.amazon.awssdk.services.s3.model.LifecycleRule[0]));
        assertThat(s3.getBucketLifecycleConfiguration(r -> r.bucket("invalid")).rules()).hasSize(1000);

        assertError(refused(() -> put(s3, "invalid", rule(b -> b.id("r").filter(prefix(""))
                .status("enabled").expiration(expireAfter(1))))), 400, "MalformedXML");
        assertError(refused(() -> put(s3, "invalid", rule(b -> b.id("r").status(ExpirationStatus.ENABLED)
                .expiration(expireAfter(1))))), 400, "MalformedXML");
        assertError(refused(() -> put(s3, "invalid", rule(b -> b.id("r").filter(prefix(""))
                .status(ExpirationStatus.ENABLED)))), 400, "InvalidRequest");
        assertError(refused(() -> put(s3, "invalid", rule(b -> b.id("r").filter(prefix(""))
                .status(ExpirationStatus.ENABLED).transitions(Transition.builder().days(30)
                        .storageClass(TransitionStorageClass.GLACIER).build())))), 501, "NotImplemented");
        assertError(refused(() -> put(s3, "no-such-bucket", rule(b -> b.id("r").filter(prefix(""))
                .status(ExpirationStatus.ENABLED).expiration(expireAfter(1))))), 404, "NoSuchBucket");

        // every refusal left the last good configuration in place
        assertThat(s3.getBucketLifecycleConfiguration(r -> r.bucket("invalid")).rules()).hasSize(1000);
    }

    @Test
    void theBodyMustCarryAnIntegrityHeaderThatMatches() throws Exception {
        s3.createBucket(b -> b.bucket("integrity"));
        byte[] body = ("<LifecycleConfiguration><Rule><ID>r</ID><Filter><Prefix>a/</Prefix></Filter>"
                + "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>")
                .getBytes(StandardCharsets.UTF_8);
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));
        assertThat(rawPut(body, Map.of()).text()).contains("<Code>InvalidRequest</Code>");
        assertThat(rawPut(body, Map.of("Content-MD5", wrong)).text()).contains("<Code>BadDigest</Code>");
        RawHttp.Response ok = rawPut(body, Map.of("Content-MD5", md5));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(s3.getBucketLifecycleConfiguration(r -> r.bucket("integrity")).rules().get(0).id()).isEqualTo("r");
    }

    private RawHttp.Response rawPut(byte[] body, Map<String, String> extra) {
        Map<String, String> headers = new java.util.HashMap<>(extra);
        headers.put("Content-Length", Integer.toString(body.length));
        try (RawHttp c = new RawHttp(node.port())) {
            byte[] head = RawHttp.signedHead("PUT", node.port(), "/integrity?lifecycle", headers)
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] request = java.util.Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            c.send(request);
            return c.read(true);
        }
    }

    @Test
    void lifecycleConfigurationNeedsTheOwnerPermission() {
        s3.createBucket(b -> b.bucket("perm"));
        grantOther("perm", new Permissions(true, true, false));
        try (S3Client other = node.client(TestNode.OTHER_ACCESS_KEY, TestNode.OTHER_SECRET_KEY, false)) {
            var r = rule(b -> b.id("r").filter(prefix("")).status(ExpirationStatus.ENABLED)
                    .expiration(expireAfter(1)));
            other.putObject(p -> p.bucket("perm").key("k"), RequestBody.fromString("x")); // write is granted
            assertError(refused(() -> put(other, "perm", r)), 403, "AccessDenied");
            assertError(refused(() -> other.getBucketLifecycleConfiguration(g -> g.bucket("perm"))), 403,
                    "AccessDenied");
            assertError(refused(() -> other.deleteBucketLifecycle(g -> g.bucket("perm"))), 403, "AccessDenied");
            grantOther("perm", Permissions.ALL);
            put(other, "perm", r);
            assertThat(other.getBucketLifecycleConfiguration(g -> g.bucket("perm")).rules()).hasSize(1);
            other.deleteBucketLifecycle(g -> g.bucket("perm"));
        }
    }

    private void grantOther(String bucket, Permissions p) {
        new KeyStore(node.server().engine()).changeGrants(TestNode.OTHER_ACCESS_KEY, bucket, p, Permissions.NONE);
    }

    @Test
    void uploadsARuleWillAbortCarryTheAbortDateAndRule() {
        s3.createBucket(b -> b.bucket("headers"));
        put(s3, "headers",
                rule(b -> b.id("tmp uploads").filter(prefix("tmp/")).status(ExpirationStatus.ENABLED)
                        .abortIncompleteMultipartUpload(abortAfter(3))),
                rule(b -> b.id("quick").filter(prefix("tmp/quick/")).status(ExpirationStatus.ENABLED)
                        .abortIncompleteMultipartUpload(abortAfter(1))),
                rule(b -> b.id("off").filter(prefix("off/")).status(ExpirationStatus.DISABLED)
                        .abortIncompleteMultipartUpload(abortAfter(1))),
                rule(b -> b.id("objects only").filter(prefix("obj/")).status(ExpirationStatus.ENABLED)
                        .expiration(expireAfter(1))),
                rule(b -> b.id("ünï\ncode").filter(prefix("u/")).status(ExpirationStatus.ENABLED)
                        .abortIncompleteMultipartUpload(abortAfter(2))));

        CreateMultipartUploadResponse tmp = s3.createMultipartUpload(r -> r.bucket("headers").key("tmp/a"));
        Instant initiated = initiated(s3, "headers", tmp.uploadId());
        assertThat(tmp.abortRuleId()).isEqualTo("tmp uploads");
        assertThat(tmp.abortDate()).isEqualTo(LifecycleRule.afterDays(initiated, 3));
        assertThat(tmp.abortDate()).isAfter(initiated.plus(Duration.ofDays(3)))
                .isBeforeOrEqualTo(initiated.plus(Duration.ofDays(4)));

        UploadPartResponse part = s3.uploadPart(r -> r.bucket("headers").key("tmp/a").uploadId(tmp.uploadId())
                .partNumber(1), RequestBody.fromString("part"));
        assertThat(part.eTag()).isNotNull();
        ListPartsResponse parts = s3.listParts(r -> r.bucket("headers").key("tmp/a").uploadId(tmp.uploadId()));
        assertThat(parts.parts()).hasSize(1);
        assertThat(parts.abortRuleId()).isEqualTo("tmp uploads");
        assertThat(parts.abortDate()).isEqualTo(tmp.abortDate());

        CreateMultipartUploadResponse quick = s3.createMultipartUpload(r -> r.bucket("headers").key("tmp/quick/b"));
        assertThat(quick.abortRuleId()).isEqualTo("quick");
        assertThat(quick.abortDate()).isEqualTo(LifecycleRule.afterDays(initiated(s3, "headers", quick.uploadId()), 1));

        CreateMultipartUploadResponse unicode = s3.createMultipartUpload(r -> r.bucket("headers").key("u/c"));
        assertThat(unicode.abortRuleId()).isEqualTo("%C3%BCn%C3%AF%0Acode");

        for (String key : List.of("off/d", "obj/e", "elsewhere")) {
            CreateMultipartUploadResponse none = s3.createMultipartUpload(r -> r.bucket("headers").key(key));
            assertThat(none.abortDate()).isNull();
            assertThat(none.abortRuleId()).isNull();
            ListPartsResponse noneParts = s3.listParts(r -> r.bucket("headers").key(key).uploadId(none.uploadId()));
            assertThat(noneParts.abortDate()).isNull();
            assertThat(noneParts.abortRuleId()).isNull();
        }

        s3.deleteBucketLifecycle(r -> r.bucket("headers"));
        assertThat(s3.listParts(r -> r.bucket("headers").key("tmp/a").uploadId(tmp.uploadId())).abortDate()).isNull();
    }

    private static Instant initiated(S3Client c, String bucket, String uploadId) {
        return c.listMultipartUploads(r -> r.bucket(bucket)).uploads().stream()
                .filter(u -> u.uploadId().equals(uploadId)).findFirst().orElseThrow().initiated();
    }

    @Test
    void theSchedulerAbortsOldUploadsAndExpiresObjectsAndLeavesTheRestAlone() throws Exception {
        MovableClock clock = new MovableClock();
        var base = TestNode.baseConfig(dir.resolve("moving-clock"));
        try (TestNode moving = TestNode.start(base.withClock(clock).withEngine(base.engine().withClock(clock)));
             S3Client c = moving.client(false)) {
            c.createBucket(b -> b.bucket("sweep"));
            put(c, "sweep",
                    rule(b -> b.id("tmp").filter(prefix("tmp/")).status(ExpirationStatus.ENABLED)
                            .expiration(expireAfter(1)).abortIncompleteMultipartUpload(abortAfter(1))),
                    rule(b -> b.id("off").prefix("off/").status(ExpirationStatus.DISABLED)
                            .expiration(expireAfter(1)).abortIncompleteMultipartUpload(abortAfter(1))));
            for (String key : List.of("tmp/a", "off/a", "keep/a")) {
                c.putObject(p -> p.bucket("sweep").key(key), RequestBody.fromString(key));
            }
            List<String> uploadIds = new ArrayList<>();
            for (String key : List.of("tmp/u", "off/u", "keep/u")) {
                String id = c.createMultipartUpload(r -> r.bucket("sweep").key(key)).uploadId();
                c.uploadPart(r -> r.bucket("sweep").key(key).uploadId(id).partNumber(1), RequestBody.fromString("p"));
                uploadIds.add(id);
            }
            Instant objectDue = LifecycleRule.afterDays(
                    c.headObject(r -> r.bucket("sweep").key("tmp/a")).lastModified(), 1);
            Instant uploadDue = LifecycleRule.afterDays(initiated(c, "sweep", uploadIds.get(0)), 1);
            Instant firstDue = objectDue.isBefore(uploadDue) ? objectDue : uploadDue;
            Instant lastDue = objectDue.isBefore(uploadDue) ? uploadDue : objectDue;

            assertThat(sweepAt(moving, clock, firstDue.minusMillis(1))).isEqualTo(new SweepReport(1, 0, 0));
            assertThat(keys(c)).containsExactly("keep/a", "off/a", "tmp/a");
            assertThat(uploadKeys(c)).containsExactly("keep/u", "off/u", "tmp/u");

            assertThat(sweepAt(moving, clock, lastDue)).isEqualTo(new SweepReport(1, 1, 1));
            assertThat(sweepAt(moving, clock, lastDue.plus(Duration.ofDays(400)))).isEqualTo(new SweepReport(1, 0, 0));

            assertError(refused(() -> c.getObjectAsBytes(r -> r.bucket("sweep").key("tmp/a"))), 404, "NoSuchKey");
            assertThat(keys(c)).containsExactly("keep/a", "off/a");
            assertThat(uploadKeys(c)).containsExactly("keep/u", "off/u");
            assertError(refused(() -> c.listParts(r -> r.bucket("sweep").key("tmp/u").uploadId(uploadIds.get(0)))),
                    404, "NoSuchUpload");
            assertThat(c.listParts(r -> r.bucket("sweep").key("off/u").uploadId(uploadIds.get(1))).parts())
                    .hasSize(1);
            assertThat(c.getObjectAsBytes(r -> r.bucket("sweep").key("keep/a")).asUtf8String()).isEqualTo("keep/a");

            // a Date rule expires what it covers from that midnight on, whenever it was written
            Instant date = LifecycleRule.afterDays(Instant.now(), 2);
            put(c, "sweep", rule(b -> b.id("dated").filter(prefix("off/")).status(ExpirationStatus.ENABLED)
                    .expiration(LifecycleExpiration.builder().date(date).build())));
            assertThat(sweepAt(moving, clock, date.minusSeconds(1))).isEqualTo(new SweepReport(1, 0, 0));
            assertThat(sweepAt(moving, clock, date)).isEqualTo(new SweepReport(1, 0, 1));
            assertThat(keys(c)).containsExactly("keep/a");
        }
    }

    /** Runs a node's scheduler with its clock at {@code t}, then lets the clock tell the real time again. */
    private static SweepReport sweepAt(TestNode n, MovableClock clock, Instant t) throws Exception {
        clock.set(t);
        try {
            return n.server().lifecycle().runNow().get(60, TimeUnit.SECONDS);
        } finally {
            clock.real();
        }
    }

    private static List<String> keys(S3Client c) {
        return c.listObjectsV2(r -> r.bucket("sweep")).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).collect(Collectors.toList());
    }

    private static List<String> uploadKeys(S3Client c) {
        return c.listMultipartUploads(r -> r.bucket("sweep")).uploads().stream().map(MultipartUpload::key)
                .collect(Collectors.toList());
    }
}
