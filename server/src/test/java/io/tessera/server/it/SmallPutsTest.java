package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.EngineStats;
import io.tessera.engine.SegmentSpace;
import io.tessera.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Small PutObjects through a node: the engine group-commits them without a write lane (several PUTs per
 * segment fdatasync and per WAL fsync), every one survives a restart, one that fails its checks stores
 * nothing, and they are served while uploads stall. (That a small body needs no lane even while every
 * lane is busy is the engine's {@code BlobWriteTest}: a node's lanes are busy only while records are
 * being appended.)
 */
class SmallPutsTest {
    private static final String B = "small";

    @TempDir
    Path dir;

    private static byte[] body(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static long deadBytes(Engine e) {
        return e.space().values().stream().mapToLong(SegmentSpace::deadBytes).sum();
    }

    @Test
    void concurrentSdkPutsShareFsyncsAndAllReadBackAfterARestart() throws Exception {
        int threads = 8;
        int perThread = 40;
        Map<String, byte[]> acked = new ConcurrentHashMap<>();
        ServerConfig config = TestNode.baseConfig(dir);
        try (TestNode node = TestNode.start(config); S3Client s3 = node.client(false)) {
            s3.createBucket(b -> b.bucket(B));
            EngineStats before = node.server().engine().stats();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int size = i % 10 == 0 ? 0 : i % 10 == 1 ? (int) EngineConfig.DEFAULT_SMALL_BODY_LIMIT : 4096;
                        byte[] b = body(thread * 1000L + i, size);
                        String key = "t" + thread + "/k" + i;
                        s3.putObject(r -> r.bucket(B).key(key), RequestBody.fromBytes(b));
                        acked.put(key, b);
                    }
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            pool.shutdown();
            EngineStats after = node.server().engine().stats();
            int puts = threads * perThread;
            long segmentFsyncs = after.fsyncs() - before.fsyncs();
            long walFsyncs = after.metadataSyncs() - before.metadataSyncs();
            System.out.printf("%d SDK PUTs on %d threads: %d segment fdatasyncs, %d WAL fsyncs%n", puts, threads,
                    segmentFsyncs, walFsyncs);
            assertThat(segmentFsyncs).as("segment fdatasyncs for %d concurrent small PUTs", puts).isLessThan(puts);
            assertThat(walFsyncs).as("WAL fsyncs for %d concurrent small PUTs", puts).isLessThan(puts);
            assertThat(node.server().engine().busyWriteLanes()).isZero();
        }
        try (TestNode node = TestNode.start(config); S3Client s3 = node.client(false)) {
            assertThat(acked).hasSize(threads * perThread);
            acked.forEach((k, v) -> assertThat(s3.getObjectAsBytes(r -> r.bucket(B).key(k)).asByteArray()).as(k)
                    .isEqualTo(v));
            assertThat(node.server().engine().fsck(true).problems()).isEmpty();
        }
    }

    private static Map<String, String> headers(int length) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Length", Integer.toString(length));
        return h;
    }

    private static RawHttp.Response put(TestNode node, String key, Map<String, String> h, byte[] wire) {
        try (RawHttp http = new RawHttp(node.port())) {
            http.send(RawHttp.signedHead("PUT", node.port(), "/" + B + "/" + key, h));
            http.send(wire);
            return http.read(true);
        }
    }

    /** An unsigned aws-chunked body with a CRC32 trailer whose {@code x-amz-decoded-content-length} is {@code declared}. */
    private static RawHttp.Response chunkedPut(TestNode node, String key, byte[] payload, int declared) {
        var crc = new java.util.zip.CRC32();
        crc.update(payload);
        String trailer = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4)
                .putInt((int) crc.getValue()).array());
        byte[] head = (Integer.toHexString(payload.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n0\r\nx-amz-checksum-crc32:" + trailer + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[head.length + payload.length + tail.length];
        System.arraycopy(head, 0, framed, 0, head.length);
        System.arraycopy(payload, 0, framed, head.length, payload.length);
        System.arraycopy(tail, 0, framed, head.length + payload.length, tail.length);
        Map<String, String> h = headers(framed.length);
        h.put("x-amz-trailer", "x-amz-checksum-crc32");
        h.put("x-amz-decoded-content-length", Integer.toString(declared));
        h.put("Content-Encoding", "aws-chunked");
        try (RawHttp http = new RawHttp(node.port())) {
            http.send(RawHttp.signedHeadWithPayload("PUT", node.port(), "/" + B + "/" + key, h,
                    "STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
            http.send(framed);
            return http.read(true);
        }
    }

    @Test
    void aSmallPutThatFailsItsChecksStoresNothing() throws Exception {
        try (TestNode node = TestNode.start(dir); S3Client s3 = node.client(true)) {
            s3.createBucket(b -> b.bucket(B));
            byte[] good = body(1, 4096);
            assertThat(chunkedPut(node, "good", good, good.length).status()).isEqualTo(200);

            byte[] other = body(2, 4096);
            Map<String, String> md5 = headers(other.length);
            md5.put("Content-MD5", Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(good)));
            RawHttp.Response badMd5 = put(node, "bad-md5", md5, other);
            assertThat(badMd5.status()).isEqualTo(400);
            assertThat(badMd5.text()).contains("<Code>BadDigest</Code>");

            Map<String, String> crc = headers(other.length);
            crc.put("x-amz-checksum-crc32", "AAAAAA==");
            RawHttp.Response badCrc = put(node, "bad-crc", crc, other);
            assertThat(badCrc.status()).isEqualTo(400);
            assertThat(badCrc.text()).contains("<Code>BadDigest</Code>");

            RawHttp.Response shorter = chunkedPut(node, "shorter", other, other.length + 1);
            assertThat(shorter.status()).as(shorter.text()).isEqualTo(400);
            RawHttp.Response longer = chunkedPut(node, "longer", other, other.length - 1);
            assertThat(longer.status()).as(longer.text()).isEqualTo(400);

            // a client that hangs up halfway through its body
            try (RawHttp http = new RawHttp(node.port())) {
                http.send(RawHttp.signedHead("PUT", node.port(), "/" + B + "/cut", headers(other.length)));
                http.send(java.util.Arrays.copyOf(other, 1000));
            }

            for (String k : List.of("bad-md5", "bad-crc", "shorter", "longer", "cut")) {
                assertThatThrownBy(() -> s3.headObject(r -> r.bucket(B).key(k))).as(k)
                        .isInstanceOf(NoSuchKeyException.class);
            }
            assertThat(s3.listObjectsV2(r -> r.bucket(B)).contents()).extracting(o -> o.key()).containsExactly("good");
            Engine e = node.server().engine();
            e.collectGarbage();
            assertThat(deadBytes(e)).isZero();
            assertThat(e.fsck(true).problems()).isEmpty();
            assertThat(s3.getObjectAsBytes(r -> r.bucket(B).key("good")).asByteArray()).isEqualTo(good);
        }
    }

    @Test
    void smallPutsAreServedWhileUploadsStall() throws Exception {
        ServerConfig c = TestNode.baseConfig(dir);
        c = c.withEngine(c.engine().withMaxWriteLanes(2).withLaneWait(Duration.ofMillis(500)))
                .withLimits(c.limits().withBodyAdmission(100, 512L << 20, 100, Duration.ofSeconds(10))
                        .withBodyTimeout(Duration.ofMinutes(2), 0).withShutdownTimeout(Duration.ofSeconds(2)));
        List<RawHttp> stalled = new ArrayList<>();
        try (TestNode node = TestNode.start(c); S3Client s3 = node.client(false)) {
            s3.createBucket(b -> b.bucket(B));
            for (int i = 0; i < 4; i++) {
                RawHttp s = new RawHttp(node.port());
                stalled.add(s);
                s.send(RawHttp.signedHead("PUT", node.port(), "/" + B + "/big" + i, headers(1 << 20)));
                s.send(new byte[1024]); // then nothing more
            }

            for (int i = 0; i < 5; i++) {
                byte[] b = body(i, 4096);
                String key = "small" + i;
                s3.putObject(r -> r.bucket(B).key(key), RequestBody.fromBytes(b));
                assertThat(s3.getObjectAsBytes(r -> r.bucket(B).key(key)).asByteArray()).isEqualTo(b);
            }
            assertThat(node.server().engine().busyWriteLanes()).isZero();
            // and so is a body above the limit, although more uploads than lanes are open
            byte[] big = body(9, (int) EngineConfig.DEFAULT_SMALL_BODY_LIMIT + 1);
            RawHttp.Response late = put(node, "late", headers(big.length), big);
            assertThat(late.status()).as(late.text()).isEqualTo(200);
            assertThat(s3.getObjectAsBytes(r -> r.bucket(B).key("late")).asByteArray()).isEqualTo(big);
        } finally {
            stalled.forEach(RawHttp::close);
        }
    }
}
