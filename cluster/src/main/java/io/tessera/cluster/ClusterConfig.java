package io.tessera.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one node joins its group. Build it with {@link #of} and adjust with the {@code with*} methods.
 *
 * <p>Immutable.
 *
 * @param nodeId            this node's id; must be one of {@code peers}
 * @param peerListen        host:port[:streamPort] this node's peer listener binds (what the others
 *                          reach through its address in {@code peers}); its DataStream listener binds
 *                          the same host and streamPort when written, else the stream port of this
 *                          node's entry in {@code peers} (written when the others reach this node
 *                          through a proxy, whose ports its entry in {@code peers} names)
 * @param peers             every member of the group, this node included
 * @param storageDir        where Ratis keeps this node's log and the group's bookkeeping
 * @param groupName         names the group; one process may later host several
 * @param requestTimeout    the bound of every submit and read barrier
 * @param electionTimeout   the shortest silence from the leader after which a follower campaigns; the
 *                          longest is one and a half times it
 * @param snapshotEvery     applied entries between two snapshots (each lets Ratis purge its log)
 * @param logSegmentBytes   size of one Raft log segment file; only closed segments are purged
 * @param purgeGap          a purge runs once at least this many entries can go
 * @param membershipTimeout the bound of {@link ClusterNode#replace}, which waits for the new peer to
 *                          catch up (a snapshot install included)
 */
public record ClusterConfig(String nodeId, String peerListen, List<ClusterPeer> peers, Path storageDir,
        String groupName, Duration requestTimeout, Duration electionTimeout, long snapshotEvery,
        long logSegmentBytes, int purgeGap, Duration membershipTimeout) {

    public static final String DEFAULT_GROUP = "tessera";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Ozone's Ozone Manager waits 5 s; its peers are on a network. Ours (and the tests') are often on
     * loopback, where a heartbeat takes microseconds and the real risk is a GC or scheduling pause of a
     * few hundred milliseconds on a busy small machine: a second catches a dead leader fast without
     * electing one each time a JVM pauses.
     */
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofSeconds(1);
    public static final long DEFAULT_SNAPSHOT_EVERY = 10_000;
    /** Ozone's Ozone Manager uses 4 MiB segments: small enough that purges free space often. */
    public static final long DEFAULT_LOG_SEGMENT_BYTES = 4L << 20;
    public static final int DEFAULT_PURGE_GAP = 1024;
    public static final Duration DEFAULT_MEMBERSHIP_TIMEOUT = Duration.ofMinutes(2);
    /** host:port:streamPort, an IPv6 host in brackets (as in {@link ClusterPeer}). */
    private static final Pattern LISTEN_WITH_STREAM = Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]]+):(\\d+):(\\d+)");

    public ClusterConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(peerListen, "peerListen");
        Objects.requireNonNull(storageDir, "storageDir");
        Objects.requireNonNull(groupName, "groupName");
        peers = List.copyOf(peers);
        if (peers.stream().noneMatch(p -> p.id().equals(nodeId))) {
            throw new IllegalArgumentException("node " + nodeId + " is not among the peers " + peers);
        }
        if (peers.stream().map(ClusterPeer::id).distinct().count() != peers.size()) {
            throw new IllegalArgumentException("peer ids repeat: " + peers);
        }
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(electionTimeout, "electionTimeout");
        requirePositive(membershipTimeout, "membershipTimeout");
        if (snapshotEvery < 1 || logSegmentBytes < 1024 || purgeGap < 1) {
            throw new IllegalArgumentException("snapshotEvery, purgeGap must be positive and segments at least 1 KiB");
        }
    }

    /** host:port this node's peer listener binds: {@code peerListen} without a stream port. */
    public String peerListenAddress() {
        Matcher m = LISTEN_WITH_STREAM.matcher(peerListen);
        return m.matches() ? m.group(1) + ":" + m.group(2) : peerListen;
    }

    /**
     * host:port this node's DataStream listener binds: the peer listener's host, and the stream port
     * written in {@code peerListen}, else the one of this node's entry in {@code peers}.
     */
    public String streamListen() {
        Matcher m = LISTEN_WITH_STREAM.matcher(peerListen);
        if (m.matches()) {
            return m.group(1) + ":" + m.group(3);
        }
        String host = peerListen.substring(0, peerListen.lastIndexOf(':'));
        return host + ":" + self().streamPort();
    }

    /** This node's entry in {@code peers}. */
    public ClusterPeer self() {
        return peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow();
    }

    /** A node with the defaults: 5 s requests, 1 s elections, a snapshot every 10 000 entries. */
    public static ClusterConfig of(String nodeId, String peerListen, List<ClusterPeer> peers, Path storageDir) {
        return new ClusterConfig(nodeId, peerListen, peers, storageDir, DEFAULT_GROUP, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_ELECTION_TIMEOUT, DEFAULT_SNAPSHOT_EVERY, DEFAULT_LOG_SEGMENT_BYTES, DEFAULT_PURGE_GAP,
                DEFAULT_MEMBERSHIP_TIMEOUT);
    }

    public ClusterConfig withRequestTimeout(Duration timeout) {
        return new ClusterConfig(nodeId, peerListen, peers, storageDir, groupName, timeout, electionTimeout,
                snapshotEvery, logSegmentBytes, purgeGap, membershipTimeout);
    }

    public ClusterConfig withElectionTimeout(Duration timeout) {
        return new ClusterConfig(nodeId, peerListen, peers, storageDir, groupName, requestTimeout, timeout,
                snapshotEvery, logSegmentBytes, purgeGap, membershipTimeout);
    }

    /** Snapshot and purge policy: a snapshot every {@code entries}, segments of {@code segmentBytes}. */
    public ClusterConfig withSnapshots(long entries, long segmentBytes, int gap) {
        return new ClusterConfig(nodeId, peerListen, peers, storageDir, groupName, requestTimeout, electionTimeout,
                entries, segmentBytes, gap, membershipTimeout);
    }

    public ClusterConfig withMembershipTimeout(Duration timeout) {
        return new ClusterConfig(nodeId, peerListen, peers, storageDir, groupName, requestTimeout, electionTimeout,
                snapshotEvery, logSegmentBytes, purgeGap, timeout);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
