package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.EngineConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;

/** The HTTP layer seen from a raw socket: 100-continue, early refusals, hang-ups, pipelining, garbage. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawHttpTest {
    @TempDir
    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeEach
    void start() {
        // One write lane: a lane leaked by a dead request would block every later upload.
        var config = TestNode.baseConfig(dir);
        EngineConfig engine = config.engine().withMaxWriteLanes(1);
        node = TestNode.start(config.withEngine(engine));
        s3 = node.client(true);
        s3.createBucket(b -> b.bucket("raw"));
    }

    @AfterEach
    void stop() {
        s3.close();
        node.close();
    }

    @Test
    void expectContinueIsAnsweredWithFullStatusLine() throws Exception {
        byte[] body = "hello, continue".getBytes(StandardCharsets.UTF_8);
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/raw/k", Map.of("Content-Length",
                    Integer.toString(body.length), "Expect", "100-continue")));
            RawHttp.Response interim = c.read(false);
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            c.send(body);
            RawHttp.Response done = c.read(true);
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.headers().get("etag")).isEqualTo("\"" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("MD5").digest(body)) + "\"");
            assertThat(done.headers()).containsKeys("x-amz-request-id", "x-amz-id-2");
            // keep-alive: the same connection serves the next request
            c.send(RawHttp.signedHead("GET", node.port(), "/raw/k", Map.of()));
            RawHttp.Response get = c.read(true);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(body);
        }
    }

    /**
     * An empty PUT that expects 100-continue (botocore sends one for every empty file of {@code aws s3 cp
     * --recursive} and {@code upload_file}) gets its {@code 100 Continue} before the final answer. Without it,
     * botocore keeps the final status line for the next expecting request on the same connection, takes that
     * request's real status line for a header and waits for a body until its read timeout: a 60 s stall, then
     * a retry (boto/botocore#3755).
     */
    @Test
    void emptyBodyExpectingContinueIsStillAcknowledged() {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/raw/empty", Map.of("Content-Length", "0",
                    "Expect", "100-continue")));
            assertThat(c.read(false).statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(c.read(true).status()).isEqualTo(200);
            // an early refusal of an empty expecting request too, and the connection stays usable
            c.send(RawHttp.signedHead("PUT", node.port(), "/no-such-bucket/k", Map.of("Content-Length", "0",
                    "Expect", "100-continue")));
            assertThat(c.read(false).statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(c.read(true).status()).isEqualTo(404);
            c.send(RawHttp.signedHead("HEAD", node.port(), "/raw/empty", Map.of()));
            RawHttp.Response head = c.read(false);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers().get("content-length")).isEqualTo("0");
        }
    }

    @Test
    void refusedExpectContinueIsAnsweredWithoutTheBodyAndCloses() {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/no-such-bucket/k", Map.of("Content-Length", "1000000",
                    "Expect", "100-continue")));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.text()).contains("<Code>NoSuchBucket</Code>").contains("<RequestId>");
            assertThat(r.headers().get("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void unwantedSmallBodyIsDrainedAndTheConnectionKept() {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/no-such-bucket/k", Map.of("Content-Length", "5000")));
            c.send(new byte[5000]);
            assertThat(c.read(true).status()).isEqualTo(404);
            c.send(RawHttp.signedHead("HEAD", node.port(), "/raw", Map.of()));
            RawHttp.Response head = c.read(false);
            assertThat(head.status()).isEqualTo(200);
        }
    }

    @Test
    void anonymousRequestsAreDenied() {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send("GET /raw HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.text()).contains("<Code>AccessDenied</Code>").contains("<Resource>/raw</Resource>");
            assertThat(r.headers().get("x-amz-request-id")).matches("[0-9A-F]{16}");
            c.send("HEAD /raw/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Response h = c.read(false);
            assertThat(h.status()).isEqualTo(403);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        s3.putObject(r -> r.bucket("raw").key("a"), RequestBody.fromString("AAA"));
        s3.putObject(r -> r.bucket("raw").key("b"), RequestBody.fromString("BBBB"));
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("GET", node.port(), "/raw/a", Map.of())
                    + RawHttp.signedHead("GET", node.port(), "/raw/missing", Map.of())
                    + RawHttp.signedHead("GET", node.port(), "/raw/b", Map.of()));
            assertThat(c.read(true).text()).isEqualTo("AAA");
            assertThat(c.read(true).status()).isEqualTo(404);
            assertThat(c.read(true).text()).isEqualTo("BBBB");
        }
    }

    @Test
    void garbageGetsBadRequestAndClose() {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send("THIS IS NOT HTTP\r\n\r\n");
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void clientHangingUpMidPartLeavesTheNodeHealthy() {
        String id = s3.createMultipartUpload(r -> r.bucket("raw").key("big")).uploadId();
        long before = node.segmentBytes();
        long live = node.liveBytes();
        for (int round = 0; round < 3; round++) {
            try (RawHttp c = new RawHttp(node.port())) {
                c.send(RawHttp.signedHead("PUT", node.port(), "/raw/big?partNumber=1&uploadId=" + id,
                        Map.of("Content-Length", Integer.toString(64 << 20), "Expect", "100-continue")));
                assertThat(c.read(false).status()).isEqualTo(100);
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 6; i++) {
                    c.send(chunk);
                }
            } // hang up with 58 MiB still announced
        }
        // One write lane: this part can only be written once every dead request gave its lane back.
        byte[] body = new byte[100_000];
        s3.uploadPart(r -> r.bucket("raw").key("big").uploadId(id).partNumber(2), RequestBody.fromBytes(body));
        ListPartsResponse parts = s3.listParts(r -> r.bucket("raw").key("big").uploadId(id));
        assertThat(parts.parts()).extracting(p -> p.partNumber()).containsExactly(2);
        assertThat(node.liveBytes() - live).isLessThan(200_000);
        // of the 18 MiB the abandoned bodies sent, only their whole pieces reached a segment (a piece is
        // appended once full), and one collection takes those back
        assertThat(node.segmentBytes() - before).isLessThan(3 * node.server().engine().config().pieceSize() + (1 << 20));
        // the node notices each hang-up on its own time (the abandoned bodies release their pieces then): a
        // collection takes their bytes back once it has, so collect until it did, within a bound
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        node.server().engine().collectGarbage();
        while (node.segmentBytes() - before >= 1 << 20 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // pacing the polls of a condition
            node.server().engine().collectGarbage();
        }
        assertThat(node.segmentBytes() - before).isLessThan(1 << 20);
        s3.putObject(r -> r.bucket("raw").key("after"), RequestBody.fromString("fine"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("raw").key("after")).asUtf8String()).isEqualTo("fine");
    }
}
