package io.tessera.server.group;

import io.tessera.cluster.ClusterConfig;
import io.tessera.cluster.ClusterNode;
import io.tessera.cluster.ClusterStatus;
import io.tessera.cluster.NoQuorumException;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.GroupMember;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This node's membership of its replicated group: the Ratis node around the engine's state, joined to
 * the engine both ways. The engine's commands go to the group's log (a follower's are forwarded to the
 * leader) once the blobs they name are on a majority ({@link BlobShipping}), and every read first passes
 * the group's read barrier (linearizable reads). Without a leader
 * or a majority both fail within the group's request bound with SLOW_DOWN (503 to clients): nothing
 * hangs, and writes resume once a majority is back.
 *
 * <p>Thread-safe.
 */
public final class GroupNode implements AutoCloseable {
    private final ClusterNode node;
    private final ClusterConfig config;
    private final BlobShipping shipping;
    private final BlobRepair repair;
    private final GroupTraffic traffic;

    private GroupNode(ClusterNode node, ClusterConfig config, BlobShipping shipping, BlobRepair repair,
            GroupTraffic traffic) {
        this.node = node;
        this.config = config;
        this.shipping = shipping;
        this.repair = repair;
        this.traffic = traffic;
    }

    /** Starts the group's node on {@code engine} (opened with {@link Engine#openMember}) and joins them. */
    public static GroupNode join(Engine engine, ClusterConfig config) {
        GroupMember member = engine.member();
        if (member == null) {
            throw new IllegalArgumentException("the engine was not opened as a group member");
        }
        ClusterNode node;
        GroupTraffic traffic = new GroupTraffic();
        EngineState state = new EngineState(member, traffic);
        try {
            node = ClusterNode.start(config, state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the group's node " + config.nodeId(), e);
        }
        BlobShipping shipping = new BlobShipping(member, node, config, traffic);
        state.serveFetchesWith(shipping);
        BlobRepair repair = new BlobRepair(member, node, config);
        GroupNode group = new GroupNode(node, config, shipping, repair, traffic);
        member.connect(entry -> {
            for (long blobId : GroupMember.blobsNamedBy(entry)) {
                shipping.ship(blobId); // bytes on a majority before the entry that names them
            }
            return node.submit(entry).exceptionallyCompose(GroupNode::asEngineFailure);
        }, config.requestTimeout().multipliedBy(2)); // committed within the bound, then applied here within it
        member.readBarrier(group::awaitReadBarrier);
        member.issueBackgroundCommandsWhen(node::isLeader); // the leader alone: each reaches the log once
        repair.start();
        return group;
    }

    /** A refusal of the group's, as the engine reports failures: no quorum is SLOW_DOWN. */
    private static CompletableFuture<byte[]> asEngineFailure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return CompletableFuture.failedFuture(cause instanceof NoQuorumException
                ? new EngineException(ErrorCode.SLOW_DOWN, "the group has no quorum: " + cause.getMessage())
                : cause);
    }

    private void awaitReadBarrier() {
        try {
            // the node's own bound answers first; this one only guards against a lost completion
            node.readBarrier().get(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EngineException(ErrorCode.SLOW_DOWN, "the group has no quorum for a read: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new EngineException(ErrorCode.SLOW_DOWN, "the group did not confirm a read within "
                    + config.requestTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ErrorCode.SLOW_DOWN, "interrupted while waiting for the group");
        }
    }

    public String nodeId() {
        return node.nodeId();
    }

    /** Blob bytes this member exchanged with the others, and the entries it applied by command. */
    public GroupTraffic traffic() {
        return traffic;
    }

    /** The group as this node sees it: role, leader, term, indexes, and each follower's lag on the leader. */
    public ClusterStatus status() {
        return node.status();
    }

    /**
     * Replaces the member {@code deadId} by {@code newId} at {@code newAddress} (a Ratis membership change,
     * {@link ClusterNode#replace}); completes, or fails, within {@link #membershipTimeout()}.
     */
    public CompletableFuture<Void> replace(String deadId, String newId, String newAddress) {
        return node.replace(deadId, newId, newAddress);
    }

    /** The bound of {@link #replace}: the new member may have to catch up by snapshot first. */
    public Duration membershipTimeout() {
        return config.membershipTimeout();
    }

    /** Leaves the group (the engine then gets no more entries); the engine is closed after this. */
    @Override
    public void close() {
        repair.close();
        node.close(); // ends the transfers in progress, and with them the blobs they hold open
    }
}
