package io.tessera.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.api.DataStreamOutput;
import org.apache.ratis.io.StandardWriteOption;
import org.apache.ratis.protocol.DataStreamReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RoutingTable;
import org.apache.ratis.util.NetUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends bytes to one named peer over Ratis DataStream, beside the log: a Ratis client per peer whose
 * DataStream primary is that peer, a routing table of that peer alone (it forwards to nobody), and no
 * FORWARD (the clients skip it), so no log entry is made. Bytes go in packets of {@link #PACKET_BYTES},
 * at most {@link #PACKETS_IN_FLIGHT} unacknowledged; the last packet carries SYNC and CLOSE, and the
 * peer acknowledges it once its sink committed (wrote and synced) everything.
 *
 * <p>Bounds: each transfer runs on a thread of its own (Ratis's client blocks its caller while it
 * connects, up to Netty's 30 s connect timeout, so it never runs on the caller's thread); a transfer
 * that makes no progress for the request bound (twice the bound for the last acknowledgement, which
 * includes the peer's fsync, as Ratis's own close timeout) fails, whatever its thread is doing. A peer
 * whose client has not yet carried a transfer is first probed with a plain connect bounded by the
 * request bound, so a black-holed peer holds a thread for the bound rather than Netty's 30 s. A client
 * that failed at the transport is closed (Ratis would otherwise redial a down peer every 100 ms for
 * ever) and replaced by a new one at the next transfer.
 *
 * <p>Thread-safety: thread-safe; any number of transfers, to the same or different peers, may run at once.
 */
final class BytesSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BytesSender.class);
    /** About Ozone's packet size: large enough that per-packet costs vanish, small for direct memory per hop. */
    static final int PACKET_BYTES = 1 << 20;
    /** Keeps the link busy while a packet is acknowledged, and bounds the memory of one transfer. */
    static final int PACKETS_IN_FLIGHT = 4;
    /** Packet buffers kept for the next transfers: direct (the transport writes them without a copy) and reused. */
    private static final int POOLED_BUFFERS = 8 * PACKETS_IN_FLIGHT;

    private final ConcurrentLinkedDeque<ByteBuffer> pool = new ConcurrentLinkedDeque<>();
    private final AtomicInteger pooled = new AtomicInteger();

    private final String nodeId;
    private final GroupClients clients;
    private final Duration bound;
    private final ConcurrentHashMap<String, PeerClient> peerClients = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;
    private final Set<CompletableFuture<Void>> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    BytesSender(String nodeId, GroupClients clients, Duration bound) {
        this.nodeId = nodeId;
        this.clients = clients;
        this.bound = bound;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bytes-send-" + nodeId + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bytes-send-watchdog-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** See {@link ClusterNode#sendBytes}. */
    CompletableFuture<Void> send(RaftPeer peer, byte[] header, long length, BytesSource source) {
        TransferHeader transfer = new TransferHeader(length, header.clone());
        CompletableFuture<Void> done = new CompletableFuture<>();
        Progress progress = new Progress(done, peer, length);
        active.add(done);
        done.whenComplete((v, e) -> active.remove(done));
        try {
            progress.watch();
            workers.execute(() -> transfer(peer, transfer, source, progress, done));
        } catch (RejectedExecutionException closing) {
            done.completeExceptionally(new IOException("node " + nodeId + " is closing"));
        }
        if (closed) {
            done.completeExceptionally(new IOException("node " + nodeId + " is closing"));
        }
        return done;
    }

    private void transfer(RaftPeer peer, TransferHeader transfer, BytesSource source, Progress progress,
            CompletableFuture<Void> done) {
        PeerClient client = clientOf(peer);
        DataStreamOutput out = null;
        boolean closeSent = false;
        try {
            try {
                out = open(peer, client, transfer, progress);
            } catch (Exception stale) {
                if (!client.proven) {
                    throw stale;
                }
                // A client that worked lost its connection (the peer restarted) and Ratis's redial failed;
                // nothing reached the peer yet, so a fresh client may try once more.
                LOG.debug("node {}: the DataStream connection to {} went stale; trying a new one", nodeId,
                        peer.getId(), stale);
                retire(peer, client);
                client = clientOf(peer);
                out = open(peer, client, transfer, progress);
            }
            ArrayDeque<Packet> inFlight = new ArrayDeque<>();
            ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
            long length = transfer.length();
            long position = 0;
            while (!closeSent && !done.isDone()) {
                ByteBuffer buffer = free.isEmpty() ? takeBuffer() : free.poll();
                int size = (int) Math.min(buffer.capacity(), length - position);
                fill(source, buffer, position, size);
                position += size;
                closeSent = position == length;
                inFlight.add(new Packet(closeSent
                        ? out.writeAsync(buffer, StandardWriteOption.SYNC, StandardWriteOption.CLOSE)
                        : out.writeAsync(buffer), buffer, size, position));
                if (inFlight.size() == PACKETS_IN_FLIGHT) {
                    free.add(await(inFlight.poll(), progress));
                }
            }
            if (!closeSent) {
                throw new IOException("stopped after " + position + " bytes: the transfer had already failed");
            }
            while (!inFlight.isEmpty()) {
                Packet packet = inFlight.peek();
                if (packet.end() == length) {
                    // The last acknowledgement waits for the peer's commit (its fsync): Ratis gives it twice the bound.
                    progress.advance(bound.multipliedBy(2));
                }
                free.add(await(inFlight.poll(), progress));
            }
            free.forEach(this::giveBack); // only acknowledged buffers: the transport is done with them
            if (done.complete(null)) {
                client.proven = true;
            }
        } catch (Exception e) {
            // Exception, not IOException: Ratis's client rethrows Netty's connect failures undeclared.
            Throwable cause = unwrap(e);
            done.completeExceptionally(new IOException("sending " + transfer.length() + " bytes to peer "
                    + peer.getId() + " failed: " + cause.getMessage(), cause));
            if (cause instanceof SourceFailure) {
                if (out != null && !closeSent) {
                    // The peer's channel closes short of the announced length: its sink aborts.
                    try {
                        out.writeAsync(ByteBuffer.allocate(0), StandardWriteOption.CLOSE);
                    } catch (Exception unsent) {
                        // Then the peer drops the stream when this client's connection goes.
                        retire(peer, client);
                    }
                }
            } else if (!(cause instanceof RefusedByPeer)) {
                retire(peer, client);
            }
        }
    }

    private ByteBuffer takeBuffer() {
        ByteBuffer b = pool.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(PACKET_BYTES);
        }
        pooled.decrementAndGet();
        return b;
    }

    private void giveBack(ByteBuffer b) {
        if (pooled.incrementAndGet() <= POOLED_BUFFERS) {
            pool.push(b.clear());
        } else {
            pooled.decrementAndGet();
        }
    }

    private PeerClient clientOf(RaftPeer peer) {
        return peerClients.computeIfAbsent(peer.getId().toString(), id -> new PeerClient(clients.newStreamClient(peer)));
    }

    /** Sends the header; a new client first checks, within the bound, that the peer answers at all. */
    private DataStreamOutput open(RaftPeer peer, PeerClient client, TransferHeader transfer, Progress progress)
            throws IOException {
        if (!client.proven) {
            probe(peer);
            progress.advance(bound);
        }
        RoutingTable alone = RoutingTable.newBuilder().addSuccessors(peer.getId(), List.of()).build();
        return client.ratis.getDataStreamApi().stream(transfer.encode(), alone);
    }

    /** A plain connect to the peer's DataStream port, bounded (Netty's own connect is not). */
    private void probe(RaftPeer peer) throws IOException {
        InetSocketAddress address = NetUtils.createSocketAddr(peer.getDataStreamAddress());
        try (SocketChannel channel = SocketChannel.open()) {
            channel.socket().connect(address, (int) Math.max(1, bound.toMillis()));
        } catch (IOException e) {
            throw new IOException("its DataStream listener " + peer.getDataStreamAddress() + " does not answer", e);
        }
    }

    private static void fill(BytesSource source, ByteBuffer buffer, long position, int size) throws SourceFailure {
        buffer.clear().limit(size);
        try {
            while (buffer.hasRemaining()) {
                int n = source.read(buffer, position + buffer.position());
                if (n < 0) {
                    throw new SourceFailure("the source ended at byte " + (position + buffer.position())
                            + " before the announced length", null);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw e instanceof SourceFailure f ? f : new SourceFailure("reading the source failed at byte "
                    + (position + buffer.position()) + ": " + e, e);
        }
        buffer.flip();
    }

    /** Waits (bounded by the progress deadline) for a packet's acknowledgement; returns its buffer for reuse. */
    private ByteBuffer await(Packet packet, Progress progress)
            throws IOException, ExecutionException, InterruptedException {
        DataStreamReply reply;
        try {
            reply = packet.ack().get(Math.max(1, progress.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no acknowledgement of the bytes up to " + packet.end() + " in time", e);
        }
        if (!reply.isSuccess() || reply.getBytesWritten() != packet.size()) {
            throw new RefusedByPeer("the peer refused the bytes up to " + packet.end()
                    + " (success " + reply.isSuccess() + ", " + reply.getBytesWritten() + " of " + packet.size()
                    + " bytes written)");
        }
        progress.advance(bound);
        return packet.buffer();
    }

    private void retire(RaftPeer peer, PeerClient client) {
        if (peerClients.remove(peer.getId().toString(), client)) {
            closeQuietly(client.ratis);
        }
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (Exception e) {
            // Exception: Ratis's DataStream client rethrows Netty's connect failure undeclared when it closes.
            LOG.debug("closing a DataStream client failed", e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Fails the transfers in progress and closes every client. */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<Void> transfer : active) {
            transfer.completeExceptionally(new IOException("node " + nodeId + " is closing"));
        }
        watchdog.shutdownNow();
        workers.shutdownNow();
        peerClients.values().forEach(c -> closeQuietly(c.ratis));
        peerClients.clear();
    }

    /** One peer's client; proven once a transfer through it succeeded (its connection is up). */
    private static final class PeerClient {
        final RaftClient ratis;
        volatile boolean proven;

        PeerClient(RaftClient ratis) {
            this.ratis = ratis;
        }
    }

    /** A packet sent and not yet acknowledged. */
    private record Packet(CompletableFuture<DataStreamReply> ack, ByteBuffer buffer, int size, long end) {
    }

    /** The source failed or ended early: the peer is fine, its client stays. */
    private static final class SourceFailure extends IOException {
        SourceFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The peer answered, and refused (its sink failed): its client stays. */
    private static final class RefusedByPeer extends IOException {
        RefusedByPeer(String message) {
            super(message);
        }
    }

    /** The deadline of a transfer's next step, and the watchdog that fails the transfer when it passes. */
    private final class Progress {
        final CompletableFuture<Void> done;
        final RaftPeer peer;
        final long length;
        volatile long deadline;

        Progress(CompletableFuture<Void> done, RaftPeer peer, long length) {
            this.done = done;
            this.peer = peer;
            this.length = length;
            this.deadline = System.nanoTime() + bound.toNanos();
        }

        void advance(Duration next) {
            deadline = System.nanoTime() + next.toNanos();
        }

        /** Checks often: the transfer fails at most an eighth of the bound after its deadline. */
        void watch() {
            long every = Math.max(1, bound.toMillis() / 8);
            ScheduledFuture<?> check = watchdog.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() - deadline > 0) {
                    done.completeExceptionally(new IOException("sending " + length + " bytes to peer " + peer.getId()
                            + " made no progress within " + bound));
                }
            }, every, every, TimeUnit.MILLISECONDS);
            done.whenComplete((v, e) -> check.cancel(false));
        }
    }
}
