package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.ServerConfig;
import io.tessera.server.admin.Health;
import io.tessera.server.auth.Credential;
import io.tessera.server.netty.NettyLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The admin listener of a real node: liveness and readiness, the Prometheus metrics after real S3
 * traffic (request counters and latency, bytes in and out, SlowDown answers, the exact bytes held by
 * incomplete uploads), and the admin API's refusal of anything but a signature by the admin key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminApiTest {
    @TempDir
    Path dir;
    private TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private int adminPort() {
        return node.server().adminAddress().getPort();
    }

    private static byte[] bytes(int n, char c) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void theClusterPathsRefuseANodeOnItsOwnAndItHasNoGroupMetrics() {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        RawHttp.Response status = AdminHttp.admin(adminPort(), "GET", "/admin/cluster");
        assertThat(status.status()).isEqualTo(404);
        assertThat(status.text()).contains("\"error\":\"NotInGroup\"").contains("this node is not in a group");
        RawHttp.Response replace = AdminHttp.admin(adminPort(), "POST",
                "/admin/cluster/replace?dead=n1&new=n4&address=127.0.0.1:9");
        assertThat(replace.status()).isEqualTo(404);
        assertThat(replace.text()).contains("NotInGroup");
        assertThat(AdminHttp.unsigned(adminPort(), "GET", "/admin/cluster").status())
                .as("the cluster paths need the admin key like the others").isEqualTo(403);
        assertThat(AdminHttp.unsigned(adminPort(), "GET", "/health/ready").status()).isEqualTo(200);
        assertThat(AdminHttp.metrics(adminPort()).keySet()).noneMatch(k -> k.startsWith("tessera_group_"));
    }

    @Test
    void liveAndReadyAnswerWithoutAuthenticationAndUnknownPathsAre404() {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        RawHttp.Response live = AdminHttp.unsigned(adminPort(), "GET", "/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.text()).isEqualTo("live\n");
        RawHttp.Response ready = AdminHttp.unsigned(adminPort(), "GET", "/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.text()).contains("\"ready\":true");
        assertThat(AdminHttp.unsigned(adminPort(), "GET", "/photos/cat.jpg").status()).isEqualTo(404);
        assertThat(AdminHttp.unsigned(adminPort(), "POST", "/health/live").status()).isEqualTo(405);
    }

    @Test
    void readinessFailsWhileTheDataDirectoryRefusesWritesAndComesBack() throws Exception {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        assertThat(AdminHttp.unsigned(adminPort(), "GET", "/health/ready").status()).isEqualTo(200);
        Path probe = dir.resolve(Health.PROBE);
        Files.delete(probe);
        Files.createDirectory(probe); // the probe cannot be written as a file any more
        AdminHttp.await("ready answers 503", Duration.ofSeconds(10),
                () -> AdminHttp.unsigned(adminPort(), "GET", "/health/ready").status() == 503);
        assertThat(AdminHttp.unsigned(adminPort(), "GET", "/health/ready").text())
                .contains("\"ready\":false").contains("does not accept writes");
        assertThat(AdminHttp.unsigned(adminPort(), "GET", "/health/live").status()).isEqualTo(200);
        Files.delete(probe);
        AdminHttp.await("ready answers 200 again", Duration.ofSeconds(10),
                () -> AdminHttp.unsigned(adminPort(), "GET", "/health/ready").status() == 200);
    }

    @Test
    void metricsCountTheTrafficAndTheBytesOfIncompleteUploadsExactly() {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        int part1 = (int) TestNode.MIN_PART;
        int part2 = 777;
        int other = 1234;
        try (S3Client s3 = node.client(true)) {
            s3.createBucket(b -> b.bucket("metered"));
            s3.putObject(b -> b.bucket("metered").key("a"), RequestBody.fromBytes(bytes(3000, 'a')));
            assertThat(s3.getObject(b -> b.bucket("metered").key("a"), ResponseTransformer.toBytes()).asByteArray())
                    .hasSize(3000);
            try {
                s3.headObject(b -> b.bucket("metered").key("missing"));
            } catch (NoSuchKeyException expected) {
                // counted as HeadObject 404
            }
            String up = s3.createMultipartUpload(b -> b.bucket("metered").key("big")).uploadId();
            s3.uploadPart(b -> b.bucket("metered").key("big").uploadId(up).partNumber(1),
                    RequestBody.fromBytes(bytes(part1, '1')));
            s3.uploadPart(b -> b.bucket("metered").key("big").uploadId(up).partNumber(2),
                    RequestBody.fromBytes(bytes(part2, '2')));
            String up2 = s3.createMultipartUpload(b -> b.bucket("metered").key("other")).uploadId();
            s3.uploadPart(b -> b.bucket("metered").key("other").uploadId(up2).partNumber(1),
                    RequestBody.fromBytes(bytes(other, '3')));

            Map<String, Double> m = AdminHttp.metrics(adminPort());
            assertThat(m).containsEntry("tessera_s3_requests_total{operation=\"PutObject\",status=\"200\"}", 1.0)
                    .containsEntry("tessera_s3_requests_total{operation=\"UploadPart\",status=\"200\"}", 3.0)
                    .containsEntry("tessera_s3_requests_total{operation=\"HeadObject\",status=\"404\"}", 1.0)
                    .containsEntry("tessera_s3_request_duration_seconds_count{operation=\"PutObject\",status=\"200\"}",
                            1.0)
                    .containsEntry("tessera_s3_request_duration_seconds_bucket{operation=\"PutObject\",status=\"200\","
                            + "le=\"+Inf\"}", 1.0)
                    .containsEntry("tessera_s3_sent_bytes_total{operation=\"GetObject\"}", 3000.0)
                    .containsEntry("tessera_engine_incomplete_upload_bytes", (double) (part1 + part2 + other))
                    .containsEntry("tessera_engine_incomplete_uploads", 2.0)
                    .containsEntry("tessera_engine_objects", 1.0)
                    .containsEntry("tessera_engine_object_bytes", 3000.0)
                    .containsEntry("tessera_engine_buckets", 1.0)
                    .containsEntry("tessera_engine_write_lanes_busy", 0.0)
                    .containsKey("tessera_s3_connections")
                    .containsKey("tessera_engine_oldest_upload_age_seconds");
            // aws-chunked framing comes on top of the 3000 body bytes
            assertThat(m.get("tessera_s3_received_bytes_total{operation=\"PutObject\"}")).isBetween(3000.0, 4000.0);
            assertThat(m.get("tessera_engine_live_bytes")).isGreaterThanOrEqualTo(3000.0 + part1 + part2 + other);
            assertThat(m.get("tessera_engine_fsync_seconds_count")).isGreaterThan(0);
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("tessera_build_info{version="))
                    .anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));

            s3.abortMultipartUpload(b -> b.bucket("metered").key("other").uploadId(up2));
            AdminHttp.await("the aborted upload's bytes leave the count", Duration.ofSeconds(10),
                    () -> AdminHttp.metrics(adminPort()).get("tessera_engine_incomplete_upload_bytes")
                            == part1 + part2);
            assertThat(AdminHttp.metrics(adminPort())).containsEntry("tessera_engine_incomplete_uploads", 1.0);
        }
        assertThat(AdminHttp.admin(adminPort(), "POST", "/admin/gc").status()).isEqualTo(200);
        Map<String, Double> after = AdminHttp.metrics(adminPort());
        assertThat(after.get("tessera_engine_gc_cycles_total")).isGreaterThanOrEqualTo(1.0);
        assertThat(after).as("a full cycle leaves garbage only in segments still being written")
                .containsEntry("tessera_engine_reclaimable_bytes", 0.0);
    }

    @Test
    void slowDownAnswersAndAdmittedBodiesAreCounted() {
        ServerConfig c = TestNode.baseConfig(dir);
        NettyLimits limits = c.limits().withBodyAdmission(1, 64L << 20, 0, Duration.ofSeconds(5));
        node = TestNode.start(c.withEngine(c.engine().withSmallBodyLimit(0)).withLimits(limits),
                TestNode.adminOps()); // no body is small, so the second is past the one admission
        try (RawHttp create = new RawHttp(node.port())) {
            create.send(RawHttp.signedHead("PUT", node.port(), "/slow", Map.of("Content-Length", "0")));
            assertThat(create.read(true).status()).isEqualTo(200);
        }
        try (RawHttp admitted = new RawHttp(node.port()); RawHttp refused = new RawHttp(node.port())) {
            admitted.send(RawHttp.signedHead("PUT", node.port(), "/slow/held", Map.of("Content-Length", "20")));
            admitted.send("0123456789");
            AdminHttp.await("the first body is admitted", Duration.ofSeconds(10),
                    () -> AdminHttp.metrics(adminPort()).get("tessera_s3_bodies_in_flight") == 1.0);
            refused.send(RawHttp.signedHead("PUT", node.port(), "/slow/refused", Map.of("Content-Length", "3")));
            refused.send("abc");
            RawHttp.Response r = refused.read(true);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.text()).contains("<Code>SlowDown</Code>");
            admitted.send("0123456789");
            assertThat(admitted.read(true).status()).isEqualTo(200);
        }
        Map<String, Double> m = AdminHttp.metrics(adminPort());
        assertThat(m).containsEntry("tessera_s3_slowdowns_total", 1.0)
                .containsEntry("tessera_s3_requests_total{operation=\"PutObject\",status=\"200\"}", 1.0);
        AdminHttp.await("no body is in flight", Duration.ofSeconds(10),
                () -> AdminHttp.metrics(adminPort()).get("tessera_s3_bodies_in_flight") == 0.0);
    }

    @Test
    void theAdminApiRefusesEverythingButTheAdminKeysSignature() {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        int port = adminPort();
        RawHttp.Response unsigned = AdminHttp.unsigned(port, "GET", "/admin/status");
        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(unsigned.text()).contains("\"error\":\"AccessDenied\"");
        RawHttp.Response otherKey = AdminHttp.signed(port, "GET", "/admin/status", TestNode.OTHER_ACCESS_KEY,
                TestNode.OTHER_SECRET_KEY);
        assertThat(otherKey.status()).isEqualTo(403);
        assertThat(otherKey.text()).contains("\"error\":\"InvalidAccessKeyId\"");
        RawHttp.Response wrongSecret = AdminHttp.signed(port, "GET", "/admin/status", TestNode.ACCESS_KEY,
                "not the secret");
        assertThat(wrongSecret.status()).isEqualTo(403);
        assertThat(wrongSecret.text()).contains("\"error\":\"SignatureDoesNotMatch\"");
        RawHttp.Response gc = AdminHttp.unsigned(port, "POST", "/admin/gc");
        assertThat(gc.status()).isEqualTo(403);
        RawHttp.Response unknown = AdminHttp.unsigned(port, "GET", "/admin/no-such-thing");
        assertThat(unknown.status()).as("no hint of what exists without the key").isEqualTo(403);

        RawHttp.Response ok = AdminHttp.admin(port, "GET", "/admin/status");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers().get("content-type")).isEqualTo("application/json");
        assertThat(ok.text()).contains("\"mode\":\"node\"").contains("\"uploadBytes\":0");
        assertThat(AdminHttp.admin(port, "GET", "/admin/gc").status()).as("a mutation needs POST").isEqualTo(405);
        assertThat(AdminHttp.admin(port, "GET", "/admin/uploads?older-than=yesterday").status()).isEqualTo(400);
    }

    @Test
    void everyAdminKeyOfTheNodeIsAcceptedAndNoKeyOfTheKeyStore() {
        ServerConfig base = TestNode.baseConfig(dir);
        List<Credential> admins = new ArrayList<>(base.credentials());
        admins.add(new Credential("AKIASECONDADMINKEY01", "second/admin", "c".repeat(64), "second"));
        node = TestNode.start(new ServerConfig(base.engine(), base.listen(), base.region(), admins, base.domains(),
                base.netThreads(), base.engineThreads(), base.limits(), base.clock(), base.tls(), null),
                TestNode.adminOps());
        assertThat(AdminHttp.admin(adminPort(), "GET", "/admin/status").status()).isEqualTo(200);
        RawHttp.Response second = AdminHttp.signed(adminPort(), "GET", "/admin/space", "AKIASECONDADMINKEY01",
                "second/admin");
        assertThat(second.status()).isEqualTo(200);
        assertThat(new String(second.body(), StandardCharsets.UTF_8)).contains("\"buckets\":[]");
        RawHttp.Response stored = AdminHttp.signed(adminPort(), "GET", "/admin/space", TestNode.OTHER_ACCESS_KEY,
                TestNode.OTHER_SECRET_KEY);
        assertThat(stored.status()).as("a key of the key store is no admin key").isEqualTo(403);
    }
}
