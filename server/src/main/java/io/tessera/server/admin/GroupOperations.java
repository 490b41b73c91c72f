package io.tessera.server.admin;

import io.tessera.cluster.ClusterPeer;
import io.tessera.cluster.ClusterStatus;
import io.tessera.cluster.NoQuorumException;
import io.tessera.server.admin.AdminReports.Cluster;
import io.tessera.server.admin.AdminReports.FollowerLag;
import io.tessera.server.admin.AdminReports.Peer;
import io.tessera.server.admin.AdminReports.Replace;
import io.tessera.server.group.GroupNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the admin API does on the node's replicated group: report this node's view of it, and replace a
 * member. {@link #replace} blocks for up to the group's membership bound: run it as a maintenance task,
 * never on an event loop.
 *
 * <p>Thread-safe (the group node is).
 */
public final class GroupOperations {
    /** Slack over the group's own bound, which answers first: this one only guards against a lost completion. */
    private static final long SLACK_MILLIS = 5_000;

    private final GroupNode group;

    public GroupOperations(GroupNode group) {
        this.group = group;
    }

    /** This node's view of the group now. */
    public Cluster status() {
        return report(group.status());
    }

    /** The admin document of a status. */
    public static Cluster report(ClusterStatus s) {
        List<Peer> peers = new ArrayList<>();
        for (ClusterPeer p : s.peers()) {
            peers.add(new Peer(p.id(), p.address()));
        }
        List<FollowerLag> followers = new ArrayList<>();
        for (ClusterStatus.FollowerProgress f : s.followers()) {
            followers.add(new FollowerLag(f.id(), f.matchIndex(), f.lag()));
        }
        return new Cluster(s.nodeId(), s.role(), s.leaderId(), s.term(), s.commitIndex(), s.appliedIndex(),
                s.lastSnapshotIndex(), s.snapshotsTaken(), s.snapshotInstalls(), s.failed(), peers, followers);
    }

    /**
     * Replaces the member {@code deadId} by {@code newId} at {@code newAddress}, which must run already with
     * the new peer list. Refusals: 400 when {@code deadId} is no member, 503 without a majority or when the
     * change did not commit within the bound.
     */
    public Replace replace(String deadId, String newId, String newAddress) {
        long bound = group.membershipTimeout().toMillis() + SLACK_MILLIS;
        try {
            group.replace(deadId, newId, newAddress).get(bound, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw new AdminRefusal(400, "InvalidArgument", cause.getMessage());
            }
            if (cause instanceof NoQuorumException) {
                throw new AdminRefusal(503, "NoQuorum", cause.getMessage()
                        + (cause.getCause() == null ? "" : ": " + cause.getCause()));
            }
            if (cause instanceof TimeoutException) {
                throw new AdminRefusal(503, "Timeout", "the membership change did not commit within "
                        + group.membershipTimeout() + " (is " + newId + " running at " + newAddress
                        + " with the new peer list, and a majority up?)");
            }
            throw new IllegalStateException("replacing " + deadId + " by " + newId + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new AdminRefusal(503, "Timeout", "the membership change gave no answer within " + bound + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminRefusal(503, "ServiceUnavailable", "interrupted while changing the group's membership");
        }
        return new Replace(deadId, newId, newAddress, status());
    }
}
