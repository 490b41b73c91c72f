package io.tessera.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClusterNode.sendBytes on three in-process nodes on loopback: bytes reach the named peer alone, intact
 * and durable, beside the log; a peer that is down or never answers fails the transfer within the bound.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BytesTransferTest {
    /** Short, so that failures are quick; long enough for a 64 MiB transfer step on a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(4);
    /** Scheduling on a loaded 2-core machine; the bound itself is what is checked. */
    private static final long SLACK_MS = 1500;
    private static final long WAIT_MS = 60_000;

    @TempDir
    Path dir;

    private TestGroup group;

    @AfterEach
    void stop() {
        if (group != null) {
            group.close();
        }
    }

    private void startGroup() {
        group = TestGroup.started(dir.resolve("group"), 3, c -> c.withRequestTimeout(BOUND));
    }

    @Test
    void bytesReachTheNamedPeerIntactAndNoOtherAndMakeNoLogEntry() throws Exception {
        startGroup();
        // A leader first: a log entry the transfer made (Ratis's FORWARD after a stream) would then commit.
        assertThat(group.submit(0, "put before 1")).isEqualTo("ok");
        byte[] data = random(5 * 1024 * 1024 + 12_345, 1);

        send(0, "n1", "blob-a", data).get(WAIT_MS, TimeUnit.MILLISECONDS);

        assertThat(Files.readAllBytes(group.state(1).blob("blob-a"))).isEqualTo(data);
        assertThat(group.state(0).blobFiles()).isEmpty();
        assertThat(group.state(2).blobFiles()).isEmpty();
        assertThat(group.state(1).blobFiles()).containsExactly("blob-a");
        // The states applied the two entries submitted and nothing else: the transfer made no entry.
        assertThat(group.submit(0, "put after 1")).isEqualTo("ok");
        for (int i = 0; i < 3; i++) {
            group.barrier(i);
            assertThat(group.state(i).appliesThisIncarnation()).as("applies on n%d", i).isEqualTo(2);
        }
        // An empty transfer is a transfer too.
        send(2, "n0", "blob-empty", new byte[0]).get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(Files.size(group.state(0).blob("blob-empty"))).isZero();
    }

    @Test
    void concurrentTransfersToOnePeerDoNotMix() throws Exception {
        startGroup();
        List<byte[]> contents = new ArrayList<>();
        List<CompletableFuture<Void>> transfers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            contents.add(random(3 * 1024 * 1024 + 1000 * i, 10 + i));
        }
        // Two from one node (one client, one connection), one from another.
        transfers.add(send(0, "n1", "blob-0", contents.get(0)));
        transfers.add(send(0, "n1", "blob-1", contents.get(1)));
        transfers.add(send(2, "n1", "blob-2", contents.get(2)));
        for (CompletableFuture<Void> t : transfers) {
            t.get(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readAllBytes(group.state(1).blob("blob-" + i))).as("blob-%d", i).isEqualTo(contents.get(i));
        }
        assertThat(group.state(1).blobFiles()).containsExactly("blob-0", "blob-1", "blob-2");
    }

    @Test
    void bytesSurviveTheReceiversRestart() throws Exception {
        startGroup();
        byte[] data = random(2 * 1024 * 1024 + 7, 2);
        send(0, "n2", "blob-kept", data).get(WAIT_MS, TimeUnit.MILLISECONDS);

        group.stop(2);
        group.start(2);

        assertThat(Files.readAllBytes(group.state(2).blob("blob-kept"))).isEqualTo(data);
        assertThat(group.state(2).blobFiles()).containsExactly("blob-kept");
        // The sender's client reconnects to the restarted peer.
        send(0, "n2", "blob-after", data).get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(Files.readAllBytes(group.state(2).blob("blob-after"))).isEqualTo(data);
    }

    @Test
    void aTransferToADownPeerFailsWithinTheBoundAndWorksOnceItIsBack() throws Exception {
        startGroup();
        byte[] data = random(1024 * 1024, 3);
        send(0, "n2", "blob-first", data).get(WAIT_MS, TimeUnit.MILLISECONDS);
        group.stop(2);

        // Twice: once through the client that knew the peer, once through its replacement.
        for (int attempt = 0; attempt < 2; attempt++) {
            long t0 = System.nanoTime();
            CompletableFuture<Void> transfer = send(0, "n2", "blob-lost", data);
            assertThatThrownBy(() -> transfer.get(BOUND.toMillis() + SLACK_MS, TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class);
            assertThat(elapsedMs(t0)).isLessThan(BOUND.toMillis() + SLACK_MS);
        }

        group.start(2);
        send(0, "n2", "blob-back", data).get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(Files.readAllBytes(group.state(2).blob("blob-back"))).isEqualTo(data);
        assertThat(group.state(2).blob("blob-lost")).isNull();
    }

    @Test
    void aPeerThatNeverAnswersFailsTheTransferWithinTheBound() throws Exception {
        // A listener that never accepts, its accept queue full: further connects get no answer at all.
        try (ServerSocket blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                fillAcceptQueue(blackHole, queued);
                group = new TestGroup(dir.resolve("group"), 3, c -> c.withRequestTimeout(BOUND));
                group.redirectStream(2, blackHole.getLocalPort());
                group.start(0);
                group.start(1);

                long t0 = System.nanoTime();
                CompletableFuture<Void> transfer = send(0, "n2", "blob-void", random(1024, 4));
                assertThatThrownBy(() -> transfer.get(BOUND.toMillis() + SLACK_MS, TimeUnit.MILLISECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class);
                assertThat(elapsedMs(t0)).isLessThan(BOUND.toMillis() + SLACK_MS);

                // The node's other peers are not held up by the one that never answers.
                byte[] data = random(1024 * 1024, 5);
                send(0, "n1", "blob-fine", data).get(WAIT_MS, TimeUnit.MILLISECONDS);
                assertThat(Files.readAllBytes(group.state(1).blob("blob-fine"))).isEqualTo(data);
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aSourceThatFailsMidwayLeavesNothingOnThePeer() throws Exception {
        startGroup();
        byte[] data = random(4 * 1024 * 1024, 6);
        long failAt = 2L * 1024 * 1024 + 5;
        BytesSource failing = (dst, position) -> {
            if (position >= failAt) {
                throw new IOException("disk gone");
            }
            int n = (int) Math.min(dst.remaining(), failAt - position);
            dst.put(data, (int) position, n);
            return n;
        };
        CompletableFuture<Void> transfer = group.node(0).sendBytes("n1", "blob-torn".getBytes(StandardCharsets.UTF_8),
                data.length, failing);
        assertThatThrownBy(() -> transfer.get(WAIT_MS, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class)
                .hasMessageContaining("disk gone");

        assertThat(group.state(1).awaitAbort(WAIT_MS)).isEqualTo("blob-torn");
        assertThat(group.state(1).blobFiles()).isEmpty();
        // The peer and the connection to it are fine.
        send(0, "n1", "blob-whole", data).get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(Files.readAllBytes(group.state(1).blob("blob-whole"))).isEqualTo(data);
    }

    @Test
    void aTransferThePeerRefusesFails() throws Exception {
        startGroup();
        CompletableFuture<Void> transfer = send(0, "n1", "not/a/name", random(1000, 7));
        assertThatThrownBy(() -> transfer.get(WAIT_MS, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class);
        assertThat(group.state(1).blobFiles()).isEmpty();
        assertThatThrownBy(() -> send(0, "n0", "blob-self", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> send(0, "n9", "blob-stranger", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLargeTransferCompletes() throws Exception {
        startGroup();
        Path file = dir.resolve("large");
        long length = 64L * 1024 * 1024;
        writeRandomFile(file, length, 8);
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
            group.node(1).sendBytes("n2", "blob-large".getBytes(StandardCharsets.UTF_8), length, source::read)
                    .get(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        Path received = group.state(2).blob("blob-large");
        assertThat(Files.size(received)).isEqualTo(length);
        assertThat(sha256(received)).isEqualTo(sha256(file));
    }

    private CompletableFuture<Void> send(int from, String to, String name, byte[] data) {
        return group.node(from).sendBytes(to, name.getBytes(StandardCharsets.UTF_8), data.length, (dst, position) -> {
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            return n;
        });
    }

    /** Connects until a connect is no longer answered (the listener's accept queue is full). */
    private static void fillAcceptQueue(ServerSocket listener, List<Socket> queued) throws IOException {
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 300);
                queued.add(s);
            } catch (IOException unanswered) {
                s.close();
                return;
            }
        }
        throw new AssertionError("the accept queue of a never-accepting listener never filled");
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static void writeRandomFile(Path file, long length, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1024 * 1024];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < length; written += chunk.length) {
                random.nextBytes(chunk);
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, length - written));
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return md.digest();
    }

    private static long elapsedMs(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
