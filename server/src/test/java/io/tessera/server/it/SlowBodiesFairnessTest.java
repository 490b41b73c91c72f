package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Slow bodies do not starve anyone else's writes. One key opens 100 uploads that send 512 KiB of an
 * announced 10 MB and stall, and 100 that trickle at 1.1 KiB/s (just above the minimum rate, so they are
 * never cut). Meanwhile another key's small PutObject, a 64 MiB multipart upload, a GET and ListBuckets
 * all succeed, each answered within a second of its body's end; the slow bodies hold no write lane while
 * their clients are silent, and once their connections close the admission counts and the lanes are back
 * to zero.
 *
 * <p>Before: 32 slow bodies (the admission count) stopped every write on the node (the small PutObject
 * waited 10 s for admission and got 503 SlowDown), and each admitted slow body held a write lane.
 */
class SlowBodiesFairnessTest {
    private static final int STALLED = 100;
    private static final int TRICKLING = 100;
    private static final long ANNOUNCED = 10_000_000;
    private static final int STALLED_SENDS = 512 * 1024;
    /** 1.1 KiB/s, sent every 100 ms. */
    private static final int TRICKLE_BYTES_PER_TICK = 113;
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    /** What each of the other key's requests took, printed at the end (the figures). */
    private final Map<String, Duration> latencies = new LinkedHashMap<>();

    @Test
    void anotherKeysWritesGoOnWhileOneKeysBodiesStallAndTrickle() throws Exception { // default admission limits
        TestNode node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        int admin = node.adminEndpoint().getPort();
        List<SlowBody> slow = new ArrayList<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (S3Client other = node.client(TestNode.OTHER_ACCESS_KEY, TestNode.OTHER_SECRET_KEY, false);
             RawHttp setup = new RawHttp(node.port())) {
            setup.send(RawHttp.signedHead("PUT", node.port(), "/slow", Map.of("Content-Length", "0")));
            assertThat(setup.read(true).status()).isEqualTo(200);
            other.createBucket(b -> b.bucket("fair"));

            for (int i = 0; i < STALLED + TRICKLING; i++) {
                SlowBody s = new SlowBody(node.port(), "/slow/k" + i);
                slow.add(s);
                if (i < STALLED) {
                    s.queue(new byte[STALLED_SENDS]);
                }
            }
            pacer.scheduleAtFixedRate(() -> {
                for (int i = 0; i < slow.size(); i++) {
                    SlowBody s = slow.get(i);
                    if (i >= STALLED) {
                        s.queue(new byte[TRICKLE_BYTES_PER_TICK]);
                    }
                    s.pump();
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            AdminHttp.await("every slow body is admitted, waiting or refused", Duration.ofSeconds(20), () -> {
                Map<String, Double> m = AdminHttp.metrics(admin);
                double seen = m.get("tessera_s3_bodies_in_flight") + m.get("tessera_s3_bodies_waiting")
                        + m.get("tessera_s3_slowdowns_total");
                return seen >= STALLED + TRICKLING;
            });
            AdminHttp.await("the stalled bodies' 512 KiB arrived", Duration.ofSeconds(20),
                    () -> slow.subList(0, STALLED).stream().allMatch(s -> s.pending() == 0 || s.answered()));
            Map<String, Double> during = AdminHttp.metrics(admin);
            assertThat(during.get("tessera_s3_bodies_in_flight")).as("slow bodies admitted").isPositive();
            assertThat(during.get("tessera_engine_write_lanes_busy"))
                    .as("write lanes held while the slow clients are silent").isZero();
            assertThat(during.get("tessera_s3_bodies_refused_share_total"))
                    .as("the slow key's bodies beyond its share").isPositive();

            // Another key, meanwhile. Bodies go over raw sockets, so that each answer is timed from its body's end.
            try (RawHttp put = new RawHttp(node.port())) {
                RawHttp.Response r = putTimed(put, node.port(), "/fair/small", new byte[1000], "PutObject 1000 B");
                assertThat(r.status()).as(r.text()).isEqualTo(200);
            }
            byte[] big = new byte[64 << 20];
            new Random(15).nextBytes(big);
            int partSize = 8 << 20;
            String upload = timed("CreateMultipartUpload", () -> other.createMultipartUpload(b -> b.bucket("fair")
                    .key("big")).uploadId());
            List<CompletedPart> parts = new ArrayList<>();
            try (RawHttp part = new RawHttp(node.port())) {
                for (int p = 0; p < big.length / partSize; p++) {
                    int n = p + 1;
                    byte[] body = Arrays.copyOfRange(big, p * partSize, (p + 1) * partSize);
                    RawHttp.Response r = putTimed(part, node.port(), "/fair/big?partNumber=" + n + "&uploadId="
                            + upload, body, "UploadPart " + n + " (8 MiB)");
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                    parts.add(CompletedPart.builder().partNumber(n).eTag(r.headers().get("etag")).build());
                }
            }
            timed("CompleteMultipartUpload", () -> other.completeMultipartUpload(b -> b.bucket("fair").key("big")
                    .uploadId(upload).multipartUpload(u -> u.parts(parts))));
            byte[] read;
            try (var in = timed("GetObject (to its answer's head)", () -> other.getObject(b -> b.bucket("fair")
                    .key("big")))) {
                read = in.readAllBytes();
            }
            assertThat(Arrays.equals(read, big)).as("the 64 MiB object reads back").isTrue();
            assertThat(timed("ListBuckets", () -> other.listBuckets().buckets())).extracting(b -> b.name())
                    .contains("fair");

            Map<String, Double> after = AdminHttp.metrics(admin);
            System.out.printf("slow bodies: %.0f admitted, %.0f waiting, %.0f refused for their client's share;"
                    + " write lanes busy %.0f%n", after.get("tessera_s3_bodies_in_flight"),
                    after.get("tessera_s3_bodies_waiting"), after.get("tessera_s3_bodies_refused_share_total"),
                    after.get("tessera_engine_write_lanes_busy"));
            latencies.forEach((what, d) -> System.out.printf("  %-48s %6.1f ms%n", what, d.toNanos() / 1e6));
            // The slow bodies were refused (their client's share) or are still read: none was cut for its pace.
            assertThat(slow).filteredOn(SlowBody::answered).extracting(SlowBody::statusLine)
                    .allMatch(line -> line.startsWith("HTTP/1.1 503 "));
            pacer.shutdownNow();
            slow.forEach(SlowBody::close);
            AdminHttp.await("admissions and lanes back to zero", Duration.ofSeconds(10), () -> {
                Map<String, Double> m = AdminHttp.metrics(admin);
                return m.get("tessera_s3_bodies_in_flight") == 0 && m.get("tessera_s3_bodies_waiting") == 0
                        && m.get("tessera_s3_bodies_memory_bytes") == 0
                        && m.get("tessera_engine_write_lanes_busy") == 0;
            });
        } finally {
            pacer.shutdownNow();
            slow.forEach(SlowBody::close);
            node.close();
        }
    }

    /** Sends a signed PUT of {@code body} for the other key and times its answer from the body's last byte. */
    private RawHttp.Response putTimed(RawHttp c, int port, String pathAndQuery, byte[] body, String what) {
        c.send(RawHttp.signedHead("PUT", port, pathAndQuery, Map.of("Content-Length", Integer.toString(body.length)),
                TestNode.OTHER_ACCESS_KEY, TestNode.OTHER_SECRET_KEY, null, null));
        c.send(body);
        long bodyEnd = System.nanoTime();
        RawHttp.Response r = c.read(true);
        Duration took = Duration.ofNanos(System.nanoTime() - bodyEnd);
        latencies.put(what + ", from its body's end", took);
        assertThat(took).as(what + " answered after its body").isLessThan(ANSWER_BOUND);
        return r;
    }

    private interface Call<T> {
        T run();
    }

    /** Runs {@code call}, which sends no body, and asserts it was answered within the bound. */
    private <T> T timed(String what, Call<T> call) {
        long start = System.nanoTime();
        T result = call.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        latencies.put(what, took);
        assertThat(took).as(what).isLessThan(ANSWER_BOUND);
        return result;
    }

    /**
     * One slow upload on a non-blocking socket: a signed PutObject head announcing {@link #ANNOUNCED}
     * bytes, then only what the test queues, sent as far as the node takes it.
     */
    private static final class SlowBody {
        private final SocketChannel channel;
        private final ByteBuffer answer = ByteBuffer.allocate(64);
        private ByteBuffer pending;

        SlowBody(int port, String path) {
            try {
                channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.configureBlocking(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pending = ByteBuffer.wrap(RawHttp.signedHead("PUT", port, path,
                    Map.of("Content-Length", Long.toString(ANNOUNCED))).getBytes(StandardCharsets.UTF_8));
            pump();
        }

        synchronized void queue(byte[] more) {
            ByteBuffer b = ByteBuffer.allocate(pending.remaining() + more.length);
            b.put(pending).put(more).flip();
            pending = b;
        }

        /** Sends what the socket takes now; reads (and keeps the start of) any answer. */
        synchronized void pump() {
            try {
                if (channel.isOpen()) {
                    channel.write(pending);
                    if (answer.hasRemaining()) {
                        channel.read(answer);
                    }
                }
            } catch (IOException e) {
                pending.position(pending.limit()); // the node closed it (a refused body): nothing more to send
            }
        }

        synchronized int pending() {
            return pending.remaining();
        }

        /** Whether the node answered (its status line's first 13 bytes, {@code HTTP/1.1 NNN }, have arrived). */
        synchronized boolean answered() {
            return answer.position() >= 13;
        }

        /** The start of the answer's status line. */
        synchronized String statusLine() {
            return new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a socket the node may have closed already
            }
        }
    }
}
