package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PutOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An answer that cannot be written never hangs its request nor pins the object's segment: a
 * {@code response-*} override no header may carry is refused before the object is opened, and any other
 * failure while writing closes the object's content and the connection. Release is proven by the engine
 * being able to retire the segment afterwards (a pinned segment's file stays).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponseFailureTest {
    @TempDir
    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeEach
    void start() {
        node = TestNode.start(dir);
        s3 = node.client(true);
        s3.createBucket(b -> b.bucket("bkt"));
    }

    @AfterEach
    void stop() {
        s3.close();
        node.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%0Atext", "text%0D%0AX-Injected:%201", "%00", "a%00b", "%20leading", "trailing%09",
        "%01", "bell%07", "del%7F"})
    void overrideNoHeaderMayCarryIsInvalidArgumentAtOnce(String encoded) throws IOException {
        List<Path> segments = putObject("k", "object bytes");
        try (RawHttp c = new RawHttp(node.port())) {
            c.socket.setSoTimeout(5_000);
            c.send(RawHttp.signedHead("GET", node.port(), "/bkt/k?response-content-type=" + encoded, Map.of()));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("<Code>InvalidArgument</Code>")
                    .contains("<ArgumentName>response-content-type</ArgumentName>");
            assertThat(r.headers()).doesNotContainKey("x-injected");
            // the connection still serves
            c.send(RawHttp.signedHead("GET", node.port(), "/bkt/k?response-content-type=text%2Fplain", Map.of()));
            RawHttp.Response ok = c.read(true);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.headers().get("content-type")).isEqualTo("text/plain");
            assertThat(ok.text()).isEqualTo("object bytes");
        }
        assertRetiredAfterDelete("k", segments);
    }

    /** Stored metadata that no header can carry (written through the engine): the GET fails while writing. */
    @Test
    void failureWhileWritingClosesTheContentAndTheConnection() throws IOException {
        List<Path> segments = putThroughEngine("k", Map.of("content-type", "bad\u0001value"), "pinned?");
        try (RawHttp c = new RawHttp(node.port())) {
            c.socket.setSoTimeout(5_000);
            c.send(RawHttp.signedHead("GET", node.port(), "/bkt/k", Map.of()));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.text()).contains("<Code>InternalError</Code>");
            assertThat(r.headers().get("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawHttp c = new RawHttp(node.port())) {
            c.socket.setSoTimeout(5_000);
            c.send(RawHttp.signedHead("HEAD", node.port(), "/bkt/k", Map.of()));
            assertThat(c.read(false).status()).isEqualTo(500);
        }
        assertRetiredAfterDelete("k", segments);
    }

    /** The client hangs up with most of a large object unsent: the writes fail and the segments are let go. */
    @Test
    void clientHangingUpMidDownloadReleasesTheContent() throws IOException {
        byte[] big = new byte[20 << 20];
        new java.util.Random(7).nextBytes(big);
        s3.putObject(r -> r.bucket("bkt").key("big"), RequestBody.fromBytes(big));
        List<Path> segments = segmentFiles();
        try (RawHttp c = new RawHttp(node.port())) {
            c.socket.setSoTimeout(5_000);
            c.send(RawHttp.signedHead("GET", node.port(), "/bkt/big", Map.of()));
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.in.readNBytes(1000)).hasSize(1000);
            c.socket.setSoLinger(true, 0); // reset: the node's next writes fail
        }
        s3.deleteObject(r -> r.bucket("bkt").key("big"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (segments.stream().anyMatch(Files::exists) && System.nanoTime() < deadline) {
            node.server().engine().collectGarbage(); // the streamer lets go once its last write has failed
            Thread.onSpinWait();
        }
        assertThat(segments).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotExist());
    }

    private List<Path> putObject(String key, String body) {
        s3.putObject(r -> r.bucket("bkt").key(key), RequestBody.fromString(body));
        return segmentFiles();
    }

    private List<Path> putThroughEngine(String key, Map<String, String> metadata, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (BodyWriter<ObjectInfo> w = node.server().engine().beginPutObject("bkt", key,
                PutOptions.of(new ObjectMetadata(metadata), TestNode.OWNER_ID).withExpectedLength(bytes.length))) {
            w.write(ByteBuffer.wrap(bytes));
            w.commit(BodyExpectations.NONE);
        }
        return segmentFiles();
    }

    /** Deletes the object, collects garbage and checks its segment files are gone (no reader pins them). */
    private void assertRetiredAfterDelete(String key, List<Path> segments) {
        assertThat(segments).isNotEmpty();
        s3.deleteObject(r -> r.bucket("bkt").key(key));
        node.server().engine().collectGarbage();
        assertThat(segments).allSatisfy(p -> assertThat(p).doesNotExist());
    }

    private List<Path> segmentFiles() {
        try (Stream<Path> s = Files.list(dir.resolve("segments"))) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
