package io.tessera.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.datastream.SupportedDataStreamType;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a Raft group (one per process): it runs the Ratis server around a {@link ReplicatedState}
 * and gives the rest of the node a submit from any member (Ratis's client forwards it to the leader), a
 * linearizable read barrier on any member (ReadIndex), the group's status, and membership changes.
 *
 * <p>Every future it returns completes within {@link ClusterConfig#requestTimeout()} (replace: within
 * {@link ClusterConfig#membershipTimeout()}); without a leader or a majority it fails with
 * {@link NoQuorumException}, never hangs.
 *
 * <p>Thread-safety: all methods may be called from any thread; the futures complete on Ratis's or the
 * JDK's threads, so a caller must not block in their callbacks.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** persist, checkpoint and install of a large state take longer than a request; this bounds them. */
    private static final Duration STATE_BOUND = Duration.ofMinutes(2);
    /** Between two attempts of a refused request: about the time an election or a leader's start takes to move on. */
    private static final long RETRY_PAUSE_MS = 100;

    private final ClusterConfig config;
    private final RaftGroup group;
    private final RaftPeerId self;
    private final GroupClients clients;
    /** For {@link #ask}: a client that tries each request a few times, and the threads that wait on it. */
    private final RaftClient askClient;
    private final java.util.concurrent.ExecutorService askers =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tessera-peer-ask");
        t.setDaemon(true);
        return t;
    });
    private final ReplicatedStateMachine stateMachine;
    private final RaftServer server;
    private final AtomicReference<RaftClient> requestClient;
    private final ScheduledExecutorService housekeeping;
    private final BytesSender bytesSender;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Replaced request clients not closed yet (their requests may still be answered). */
    private final Set<RaftClient> retired = ConcurrentHashMap.newKeySet();

    private ClusterNode(ClusterConfig config, ReplicatedState state) throws IOException {
        this.config = config;
        this.self = RaftPeerId.valueOf(config.nodeId());
        this.group = RaftGroup.valueOf(groupId(config.groupName()), toRaftPeers(config.peers()));
        this.clients = new GroupClients(group, config.requestTimeout());
        this.askClient = clients.newFetchClient();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-housekeeping-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        this.stateMachine = new ReplicatedStateMachine(state, config.nodeId(), clients, STATE_BOUND,
                this::stopAfterStateFailure);
        this.server = RaftServer.newBuilder()
                .setServerId(self)
                .setGroup(group)
                .setProperties(serverProperties(config))
                .setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        this.requestClient = new AtomicReference<>(clients.newRequestClient());
        this.bytesSender = new BytesSender(config.nodeId(), clients, config.requestTimeout());
    }

    /** The state failed to apply an entry: this node must not serve on a state that missed it. */
    private void stopAfterStateFailure(Throwable failure) {
        try {
            housekeeping.execute(this::close);
        } catch (RejectedExecutionException closing) {
            LOG.debug("node {} is closing already", config.nodeId(), failure);
        }
    }

    /** Starts this node's server; it joins the group (or, with a group of one, leads it at once). */
    public static ClusterNode start(ClusterConfig config, ReplicatedState state) throws IOException {
        ClusterNode node = new ClusterNode(config, state);
        try {
            node.server.start();
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        long every = config.electionTimeout().toMillis();
        node.housekeeping.scheduleWithFixedDelay(node::reconnectWhileLeaderless, every, every, TimeUnit.MILLISECONDS);
        LOG.info("node {} started in group {} with peers {}", config.nodeId(), node.group.getGroupId(),
                config.peers());
        return node;
    }

    /**
     * Without a leader, drops this node's connections to its peers so that the next vote request
     * dials afresh. A gRPC channel to a peer that was down backs off its reconnects exponentially (up
     * to two minutes); Ratis resets that backoff for log replication but not for elections, so a
     * node back from a long absence could stay unreachable to the voter that needs it, and the group
     * leaderless, long after a majority was up again.
     */
    private void reconnectWhileLeaderless() {
        try {
            if (closed.get() || division().getInfo().getLeaderId() != null) {
                return;
            }
            for (RaftPeer peer : division().getRaftConf().getCurrentPeers()) {
                if (!peer.getId().equals(self)) {
                    server.getServerRpc().handleException(peer.getId(), new IOException("no leader: reconnecting"), true);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("node {}: reconnecting to peers failed", config.nodeId(), e);
        }
    }

    static RaftGroupId groupId(String groupName) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("tessera-group:" + groupName)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static RaftProperties serverProperties(ClusterConfig config) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDir().toFile()));
        String listen = config.peerListenAddress();
        int colon = listen.lastIndexOf(':');
        GrpcConfigKeys.Server.setHost(p, listen.substring(0, colon));
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(listen.substring(colon + 1)));

        // Followers answer reads too: ReadIndex from the leader, then wait until applied up to it.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // No leader lease: with it a leader cut off from its majority answered a read (GroupQuorumTest); every
        // ReadIndex confirms leadership with a heartbeat round instead.
        RaftServerConfigKeys.Read.setTimeout(p, GroupClients.toTimeDuration(config.requestTimeout()));

        // Elections after a random silence in [t, 1.5 t]; see ClusterConfig.DEFAULT_ELECTION_TIMEOUT.
        long election = config.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(election * 3 / 2, TimeUnit.MILLISECONDS));

        // How often a leader tries a follower that does not answer: Ratis's default backs off to 5 s
        // after about 20 s, so a follower back from a longer absence waited up to 5 s before the leader
        // noticed it. A refused connection on a LAN or loopback costs next to nothing: try every second.
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10, 100ms,20, 1s,1000000");

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotEvery());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
        RaftServerConfigKeys.Log.setPurgeGap(p, config.purgeGap());
        // Purge up to the snapshot even if a follower is behind it: a follower down for long catches up
        // by snapshot, so its absence cannot make the leader's log grow without end (Ozone does the same).
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        // Notification mode: the leader tells a follower to install, the follower fetches a checkpoint.
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, false);

        // DataStream: other nodes send bytes here beside the log (see sendBytes).
        RaftConfigKeys.DataStream.setType(p, SupportedDataStreamType.NETTY);
        String stream = config.streamListen();
        int streamColon = stream.lastIndexOf(':');
        NettyConfigKeys.DataStream.setHost(p, stream.substring(0, streamColon));
        NettyConfigKeys.DataStream.setPort(p, Integer.parseInt(stream.substring(streamColon + 1)));
        // A sender that gave up closes its connection and never resumes: drop its half-sent streams (and
        // their sinks) after a bound rather than Ratis's 10 minutes. The server reads its bound for
        // downstream peers from the client key; transfers have none, but keep it the same bound.
        NettyConfigKeys.DataStream.Server.setChannelInactiveGracePeriod(p,
                GroupClients.toTimeDuration(config.requestTimeout()));
        RaftClientConfigKeys.DataStream.setRequestTimeout(p, GroupClients.toTimeDuration(config.requestTimeout()));
        return p;
    }

    private static List<RaftPeer> toRaftPeers(List<ClusterPeer> peers) {
        List<RaftPeer> out = new ArrayList<>(peers.size());
        for (ClusterPeer peer : peers) {
            out.add(toRaftPeer(peer));
        }
        return out;
    }

    private static RaftPeer toRaftPeer(ClusterPeer peer) {
        return RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address())
                .setDataStreamAddress(peer.streamAddress()).build();
    }

    public String nodeId() {
        return config.nodeId();
    }

    /**
     * Appends {@code entry} to the group's log and answers what the leader's state returned when it
     * applied it; by then a majority holds the entry durably. Fails with {@link NoQuorumException}
     * within the request timeout when the group has no leader or no majority (the entry may still be
     * committed later).
     */
    public CompletableFuture<byte[]> submit(byte[] entry) {
        Message message = Message.valueOf(ByteString.copyFrom(entry));
        // Retried here only when the entry was refused before it reached any log; Ratis's client
        // already retries the rest with the same call id, which its servers deduplicate.
        return bounded(client -> client.async().send(message)
                .thenApply(reply -> {
                    byte[] answer = requireSuccess(reply).getMessage().getContent().toByteArray();
                    hurryCommitNotice(reply.getLogIndex());
                    return answer;
                }),
                ClusterNode::refusedBeforeAppend, "submit");
    }

    /**
     * On a follower whose entry the leader answered, but which has not applied it yet: a ReadIndex makes
     * the leader send its followers a heartbeat at once, and with it the commit index, which Ratis would
     * otherwise carry only with the next entry or the next heartbeat (half an election timeout away). The
     * caller waits for its own apply of the entry, so this is what a write through a follower waits for.
     */
    private void hurryCommitNotice(long logIndex) {
        try {
            DivisionInfo info = division().getInfo();
            if (info.isLeader() || info.getLastAppliedIndex() >= logIndex) {
                return;
            }
        } catch (IllegalStateException closing) {
            return;
        }
        readBarrier().exceptionally(e -> null); // its failure shows on the caller's own wait, bounded there
    }

    /**
     * Completes once this node has applied every entry the leader had committed when it was called:
     * a read of the local state after it sees every write answered before the call, on any node.
     */
    public CompletableFuture<Void> readBarrier() {
        Message barrier = StateQuery.BARRIER.toMessage();
        return bounded(client -> client.async().sendReadOnlyUnordered(barrier, self)
                .thenApply(reply -> {
                    requireSuccess(reply);
                    return null;
                }), cause -> refusedBeforeAppend(cause) || cause instanceof ReadIndexException
                        || cause instanceof ReadException, "read barrier");
    }

    /**
     * Asks the member {@code peerId} alone a question of the state's own, outside the log (a Ratis
     * stale read addressed to it; its state answers as {@link PeerRequests}). Fails within the request
     * timeout when that member is down or refuses.
     */
    public CompletableFuture<byte[]> ask(String peerId, byte[] request) {
        RaftPeerId peer = RaftPeerId.valueOf(peerId);
        Message message = StateQuery.peer(request).toMessage();
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        try {
            // Ratis's async stale read is ordered, and an ordered request to a follower waits for the leader:
            // a blocking one on a thread of ours instead, as the checkpoint fetch does
            askers.execute(() -> {
                try {
                    RaftClientReply reply = askClient.io().sendStaleRead(message, 0, peer);
                    answer.complete(requireSuccess(reply).getMessage().getContent().toByteArray());
                } catch (IOException | RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return answer.orTimeout(config.requestTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Sends {@code length} bytes read from {@code source} to the member {@code peerId} alone, outside the
     * log (Ratis DataStream; no log entry is made): that peer's state opens a sink with {@code header}
     * ({@link BytesReceiver#receive}), and the future completes once the sink has committed them (written
     * and synced). It fails with an IOException when the peer is down, refuses, or the transfer makes no
     * progress for the request timeout (the last acknowledgement, which waits for the peer's sync, may
     * take twice that); the peer then keeps nothing of it. A healthy transfer takes as long as its
     * bytes need. The source is read on a thread of this node, never the caller's.
     *
     * @throws IllegalArgumentException if {@code peerId} is not another member of the group
     */
    public CompletableFuture<Void> sendBytes(String peerId, byte[] header, long length, BytesSource source) {
        if (peerId.equals(config.nodeId())) {
            throw new IllegalArgumentException("node " + peerId + " does not send bytes to itself");
        }
        RaftPeer peer = division().getRaftConf().getCurrentPeers().stream()
                .filter(p -> p.getId().toString().equals(peerId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(peerId + " is not a member of the group"));
        if (peer.getDataStreamAddress() == null || peer.getDataStreamAddress().isEmpty()) {
            throw new IllegalArgumentException("member " + peerId + " has no DataStream address");
        }
        return bytesSender.send(peer, header, length, source);
    }

    /**
     * The ids of the group's members now, this node's included: the configuration Ratis holds, which a
     * membership change ({@link #replace}) changes on every member. Cheap; for whom to send bytes to.
     */
    public List<String> memberIds() {
        List<String> ids = new ArrayList<>();
        for (RaftPeer peer : division().getRaftConf().getCurrentPeers()) {
            ids.add(peer.getId().toString());
        }
        return ids;
    }

    /** Whether this node leads its group now (it may learn a moment later that it no longer does). */
    public boolean isLeader() {
        if (closed.get()) {
            return false;
        }
        try {
            return division().getInfo().isLeader();
        } catch (IllegalStateException closing) {
            return false;
        }
    }

    /** The leader refused the request outright: nothing was appended, so asking again cannot duplicate it. */
    private static boolean refusedBeforeAppend(Throwable cause) {
        return cause instanceof NotLeaderException || cause instanceof LeaderNotReadyException
                || cause instanceof LeaderSteppingDownException;
    }

    private static RaftClientReply requireSuccess(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        return reply;
    }

    /**
     * Runs {@code call} (again, while {@code retryable} failures come and time remains) and bounds the
     * whole by the request timeout; "no leader, no majority" becomes a NoQuorumException.
     */
    private <T> CompletableFuture<T> bounded(Function<RaftClient, CompletableFuture<T>> call,
            Predicate<Throwable> retryable, String what) {
        CompletableFuture<T> attempts = new CompletableFuture<>();
        attempt(call, retryable, System.nanoTime() + config.requestTimeout().toNanos(), attempts);
        CompletableFuture<T> result = new CompletableFuture<>();
        attempts.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(failure);
            if (isNoQuorum(cause)) {
                result.completeExceptionally(new NoQuorumException(what + " on node " + config.nodeId()
                        + " got no answer from a leader with a majority within " + config.requestTimeout(), cause));
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    private <T> void attempt(Function<RaftClient, CompletableFuture<T>> call, Predicate<Throwable> retryable,
            long deadline, CompletableFuture<T> result) {
        RaftClient client = requestClient.get();
        call.apply(client).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(failure);
            if (retryable.test(cause) && !closed.get()
                    && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS) < deadline) {
                try {
                    housekeeping.schedule(() -> attempt(call, retryable, deadline, result), RETRY_PAUSE_MS,
                            TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException closing) {
                    // The node is closing: answer with the failure at hand.
                }
            }
            if (isNoQuorum(cause)) {
                retire(client);
            }
            result.completeExceptionally(cause);
        });
    }

    /** Failures of the group, not of the entry or the state: timeouts and Ratis's I/O exceptions. */
    private static boolean isNoQuorum(Throwable cause) {
        return cause instanceof TimeoutException
                || (cause instanceof IOException && !(cause instanceof StateMachineException));
    }

    /**
     * Replaces a client that may have given up on a request: an ordered Ratis client whose retries ran
     * out fails every later request. The old one is closed once its requests have had their bound.
     */
    private void retire(RaftClient client) {
        if (closed.get() || !requestClient.compareAndSet(client, clients.newRequestClient())) {
            return;
        }
        retired.add(client);
        try {
            housekeeping.schedule(() -> {
                retired.remove(client);
                closeQuietly(client);
            }, 2 * config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // close() closes every retired client.
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** This node's view of the group now. */
    public ClusterStatus status() {
        RaftServer.Division division = division();
        DivisionInfo info = division.getInfo();
        long commit = division.getRaftLog().getLastCommittedIndex();
        List<ClusterStatus.FollowerProgress> followers = new ArrayList<>();
        if (info.isLeader()) {
            var followerInfo = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
            long[] match = info.getFollowerMatchIndices();
            TermIndex last = division.getRaftLog().getLastEntryTermIndex();
            long lastIndex = last == null ? 0 : last.getIndex();
            // Both come from the leader's list of log appenders; a membership change between the two calls
            // can make them differ, and then this one view shows no followers. Ratis answers no match indices
            // (null) while this node is elected but its leader state not yet started, or just stepped down.
            if (match != null && followerInfo.size() == match.length) {
                for (int i = 0; i < match.length; i++) {
                    followers.add(new ClusterStatus.FollowerProgress(followerInfo.get(i).getId().getId().toStringUtf8(),
                            match[i], Math.max(0, lastIndex - match[i])));
                }
            }
        }
        List<ClusterPeer> peers = new ArrayList<>();
        for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
            peers.add(new ClusterPeer(peer.getId().toString(), peer.getAddress(), peer.getDataStreamAddress()));
        }
        RaftPeerId leader = info.getLeaderId();
        return new ClusterStatus(config.nodeId(), info.getCurrentRole().name(), leader == null ? null : leader.toString(),
                info.getCurrentTerm(), commit, info.getLastAppliedIndex(), stateMachine.lastSnapshotIndex(),
                stateMachine.snapshotsTaken(), stateMachine.snapshotInstalls(), stateMachine.failed(), peers, followers);
    }

    private RaftServer.Division division() {
        try {
            return server.getDivision(group.getGroupId());
        } catch (IOException e) {
            throw new IllegalStateException("node " + config.nodeId() + " has no division of its group (closed?)", e);
        }
    }

    /**
     * Replaces the member {@code deadId} by a new one (a Ratis membership change). The new node must be
     * running already, started with the new peer list; it catches up (by snapshot if the leader's log
     * no longer reaches back far enough) before the change commits. {@code newAddress} is written as a
     * peer is: {@code host:port} or {@code host:port:streamPort}.
     */
    public CompletableFuture<Void> replace(String deadId, String newId, String newAddress) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                List<RaftPeer> current = new ArrayList<>(division().getRaftConf().getCurrentPeers());
                if (current.stream().noneMatch(p -> p.getId().toString().equals(deadId))) {
                    throw new IllegalArgumentException(deadId + " is not a member: " + current);
                }
                List<RaftPeer> next = new ArrayList<>();
                for (RaftPeer peer : current) {
                    if (!peer.getId().toString().equals(deadId)) {
                        next.add(peer);
                    }
                }
                next.add(toRaftPeer(new ClusterPeer(newId, newAddress)));
                try (RaftClient admin = clients.newAdminClient(RaftGroup.valueOf(group.getGroupId(), current),
                        config.membershipTimeout())) {
                    requireSuccess(admin.admin().setConfiguration(next));
                }
                LOG.info("group membership changed: {} replaced by {}={}", deadId, newId, newAddress);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                Throwable cause = unwrap(e);
                done.completeExceptionally(cause instanceof IOException
                        ? new NoQuorumException("replacing " + deadId + " by " + newId + " failed", cause) : cause);
            }
        }, "membership-change-" + config.nodeId());
        worker.setDaemon(true);
        worker.start();
        return done.orTimeout(config.membershipTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the server (its state machine closes with it). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        housekeeping.shutdownNow();
        bytesSender.close();
        askers.shutdownNow();
        closeQuietly(askClient);
        closeQuietly(requestClient.get());
        retired.forEach(ClusterNode::closeQuietly);
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("node {}: closing the Ratis server failed", config.nodeId(), e);
        }
        LOG.info("node {} closed", config.nodeId());
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing a Ratis client failed", e);
        }
    }
}
