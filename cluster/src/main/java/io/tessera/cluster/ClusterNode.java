package io.tessera.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
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

    private final ClusterConfig config;
    private final RaftGroup group;
    private final RaftPeerId self;
    private final GroupClients clients;
    private final ReplicatedStateMachine stateMachine;
    private final RaftServer server;
    private final AtomicReference<RaftClient> requestClient;
    private final ScheduledExecutorService housekeeping;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterNode(ClusterConfig config, ReplicatedState state) throws IOException {
        this.config = config;
        this.self = RaftPeerId.valueOf(config.nodeId());
        this.group = RaftGroup.valueOf(groupId(config.groupName()), toRaftPeers(config.peers()));
        this.clients = new GroupClients(group, config.requestTimeout());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-housekeeping-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        this.stateMachine = new ReplicatedStateMachine(state, config.nodeId(), clients, STATE_BOUND,
                failure -> housekeeping.execute(this::close));
        this.server = RaftServer.newBuilder()
                .setServerId(self)
                .setGroup(group)
                .setProperties(serverProperties(config))
                .setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        this.requestClient = new AtomicReference<>(clients.newRequestClient());
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
        LOG.info("node {} started in group {} with peers {}", config.nodeId(), node.group.getGroupId(),
                config.peers());
        return node;
    }

    static RaftGroupId groupId(String groupName) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("tessera-group:" + groupName)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static RaftProperties serverProperties(ClusterConfig config) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDir().toFile()));
        int colon = config.peerListen().lastIndexOf(':');
        GrpcConfigKeys.Server.setHost(p, config.peerListen().substring(0, colon));
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(config.peerListen().substring(colon + 1)));

        // Followers answer reads too: ReadIndex from the leader, then wait until applied up to it.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setTimeout(p, GroupClients.toTimeDuration(config.requestTimeout()));

        // Elections after a random silence in [t, 1.5 t]; see ClusterConfig.DEFAULT_ELECTION_TIMEOUT.
        long election = config.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(election * 3 / 2, TimeUnit.MILLISECONDS));

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotEvery());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
        RaftServerConfigKeys.Log.setPurgeGap(p, config.purgeGap());
        // Purge up to the snapshot even if a follower is behind it: a follower down for long catches up
        // by snapshot, so its absence cannot make the leader's log grow without end (Ozone does the same).
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        // Notification mode: the leader tells a follower to install, the follower fetches a checkpoint.
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, false);
        return p;
    }

    private static List<RaftPeer> toRaftPeers(List<ClusterPeer> peers) {
        List<RaftPeer> out = new ArrayList<>(peers.size());
        for (ClusterPeer peer : peers) {
            out.add(RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address()).build());
        }
        return out;
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
        RaftClient client = requestClient.get();
        CompletableFuture<byte[]> answer = client.async().send(Message.valueOf(ByteString.copyFrom(entry)))
                .thenApply(reply -> requireSuccess(reply).getMessage().getContent().toByteArray());
        return bounded(answer, client, "submit");
    }

    /**
     * Completes once this node has applied every entry the leader had committed when it was called:
     * a read of the local state after it sees every write answered before the call, on any node.
     */
    public CompletableFuture<Void> readBarrier() {
        RaftClient client = requestClient.get();
        CompletableFuture<Void> done = client.async().sendReadOnlyUnordered(StateQuery.BARRIER.toMessage(), self)
                .thenApply(reply -> {
                    requireSuccess(reply);
                    return null;
                });
        return bounded(done, client, "read barrier");
    }

    private static RaftClientReply requireSuccess(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        return reply;
    }

    /** Bounds {@code future} by the request timeout and turns "no leader, no majority" into NoQuorumException. */
    private <T> CompletableFuture<T> bounded(CompletableFuture<T> future, RaftClient client, String what) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof StateMachineException || !(cause instanceof IOException
                    || cause instanceof TimeoutException)) {
                result.completeExceptionally(cause);
                return;
            }
            retire(client);
            result.completeExceptionally(new NoQuorumException(what + " on node " + config.nodeId()
                    + " got no answer from a leader with a majority within " + config.requestTimeout(), cause));
        });
        return result;
    }

    /**
     * Replaces a client that may have given up on a request: an ordered Ratis client whose retries ran
     * out fails every later request. The old one is closed once its requests have had their bound.
     */
    private void retire(RaftClient client) {
        if (closed.get() || !requestClient.compareAndSet(client, clients.newRequestClient())) {
            return;
        }
        housekeeping.schedule(() -> closeQuietly(client), 2 * config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
            // can make them differ, and then this one view shows no followers.
            if (followerInfo.size() == match.length) {
                for (int i = 0; i < match.length; i++) {
                    followers.add(new ClusterStatus.FollowerProgress(followerInfo.get(i).getId().getId().toStringUtf8(),
                            match[i], Math.max(0, lastIndex - match[i])));
                }
            }
        }
        List<ClusterPeer> peers = new ArrayList<>();
        for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
            peers.add(new ClusterPeer(peer.getId().toString(), peer.getAddress()));
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
     * no longer reaches back far enough) before the change commits.
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
                next.add(RaftPeer.newBuilder().setId(newId).setAddress(newAddress).build());
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
        closeQuietly(requestClient.get());
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("node {}: closing the Ratis server failed", config.nodeId(), e);
        }
        housekeeping.shutdownNow();
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
