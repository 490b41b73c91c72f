package io.tessera.cluster;

import java.util.List;

/**
 * One node's view of its group at one instant: the numbers {@code tessera cluster status} prints and
 * the server exports as metrics.
 *
 * <p>Immutable.
 *
 * @param nodeId            this node
 * @param role              LEADER, FOLLOWER, CANDIDATE or LISTENER
 * @param leaderId          the leader this node knows, or null while there is none
 * @param term              the current term
 * @param commitIndex       the highest log index this node knows to be committed
 * @param appliedIndex      the highest log index applied here (configuration entries included)
 * @param lastSnapshotIndex the index of the last snapshot taken or installed here (0 if none)
 * @param snapshotsTaken    snapshots taken since start
 * @param snapshotInstalls  snapshots installed from a leader since start
 * @param failed            the state failed to apply an entry; the node no longer serves
 * @param peers             the members of the current configuration
 * @param followers         when leader: each follower's progress; otherwise empty
 */
public record ClusterStatus(String nodeId, String role, String leaderId, long term, long commitIndex,
        long appliedIndex, long lastSnapshotIndex, long snapshotsTaken, long snapshotInstalls, boolean failed,
        List<ClusterPeer> peers, List<FollowerProgress> followers) {

    public ClusterStatus {
        peers = List.copyOf(peers);
        followers = List.copyOf(followers);
    }

    /**
     * How far one follower is behind the leader.
     *
     * @param id         the follower
     * @param matchIndex the highest log index the leader knows it holds
     * @param lag        entries in the leader's log after matchIndex
     */
    public record FollowerProgress(String id, long matchIndex, long lag) {
    }

    public boolean isLeader() {
        return "LEADER".equals(role);
    }

    /** Knows a leader and has applied all it knows committed: may serve (what /health/ready reports). */
    public boolean isReady() {
        return leaderId != null && !failed && appliedIndex >= commitIndex;
    }
}
