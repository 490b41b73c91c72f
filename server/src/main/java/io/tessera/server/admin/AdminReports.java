package io.tessera.server.admin;

import java.util.List;
import java.util.Map;

/**
 * The documents of the admin API, sent as JSON by a node and read back by the {@code tessera} admin
 * commands (which build the same documents themselves when they work offline on a data directory).
 * Times are ISO-8601 instants, ages and durations plain numbers in their unit. Immutable records.
 */
public final class AdminReports {
    private AdminReports() {
    }

    /**
     * The node's space: what the buckets hold and what the segment files hold.
     *
     * @param uploadBytes            bytes the parts of incomplete multipart uploads hold on disk
     * @param oldestUpload           when the oldest incomplete upload started, or null
     * @param oldestUploadAgeSeconds its age, 0 when there is none
     * @param liveBytes              bytes of live records in segment files
     * @param deadBytes              garbage in segment files
     * @param reclaimableBytes       garbage a full GC cycle can give back now
     */
    public record Space(long buckets, long objects, long objectBytes, long uploads, long uploadBytes,
                        String oldestUpload, long oldestUploadAgeSeconds, long segments, long segmentBytes,
                        long liveBytes, long deadBytes, long reclaimableBytes, long tombstones) {
    }

    /** Garbage collection totals since the engine opened. */
    public record GcTotals(long cycles, long segmentsDeleted, long segmentsCompacted, long bytesCopied,
                           long bytesReclaimed) {
    }

    /**
     * {@code tessera status}.
     *
     * @param mode          {@code node} (a running node answered) or {@code offline} (a data directory opened)
     * @param started       when the node started, or null offline
     * @param uptimeSeconds seconds since then, or null offline
     */
    public record Status(String version, String mode, String started, Long uptimeSeconds, String dataDir, Space space,
                         int writeLanesBusy, int writeLanes, long fsyncs, double fsyncSeconds, GcTotals gc,
                         long diskFreeBytes, long diskTotalBytes) {
    }

    /** What one bucket holds: objects, and incomplete uploads with the exact bytes of their parts. */
    public record BucketSpace(String bucket, long objects, long objectBytes, long uploads, long uploadBytes,
                              String oldestUpload) {
    }

    /** {@code tessera space}: every bucket (or the one asked for) and the node's totals. */
    public record SpaceReport(List<BucketSpace> buckets, Space total) {
    }

    /** One incomplete multipart upload, with its committed parts and their bytes. */
    public record Upload(String bucket, String key, String uploadId, String initiated, long ageSeconds, int parts,
                         long bytes) {
    }

    /**
     * {@code tessera uploads list}: uploads started at or before {@code cutoff}.
     *
     * @param count     how many match
     * @param bytes     the bytes all of them hold
     * @param uploads   the first of them, in bucket, key, upload id order
     * @param truncated whether more match than are listed
     */
    public record Uploads(String cutoff, long count, long bytes, List<Upload> uploads, boolean truncated) {
    }

    /**
     * {@code tessera uploads abort}: one batch of aborts (or, dry, what would be aborted).
     *
     * @param matched how many uploads matched when the batch started
     * @param aborted how many this batch aborted (0 when dry)
     * @param gone    how many ended (completed or aborted by someone else) between listing and aborting
     * @param bytes   the bytes of the uploads listed in {@code uploads}, given back by the next GC cycles
     * @param uploads the uploads this batch aborted (when dry: would abort)
     * @param more    whether matching uploads are left after this batch
     */
    public record Abort(boolean dryRun, String cutoff, long matched, long aborted, long gone, long bytes,
                        List<Upload> uploads, boolean more) {
    }

    /** {@code tessera gc}: one full collection cycle and the space before and after. */
    public record Gc(long durationMillis, int segmentsDeleted, int segmentsCompacted, long bytesCopied,
                     long bytesReclaimed, long deadBytesBefore, long deadBytesAfter, long segmentBytesBefore,
                     long segmentBytesAfter) {
    }

    /**
     * {@code tessera fsck}: references, CRCs (bodies too when asked) and live-byte counts.
     *
     * @param problems    broken invariants, the first {@link AdminOperations#MAX_LISTED} of them
     * @param orphanFiles segment files no row knows (recovery deletes them on the next open)
     */
    public record Fsck(boolean bodies, boolean clean, long durationMillis, long blobs, long segments, long liveBytes,
                       long problemCount, List<String> problems, long orphanFileCount, List<String> orphanFiles) {
    }

    /** An admin API failure: an S3-style code and a message for a person. */
    public record Failure(String error, String message) {
    }

    /**
     * {@code tessera cluster status}: one node's view of its group (the cluster module's status).
     *
     * @param role              LEADER, FOLLOWER, CANDIDATE or LISTENER
     * @param leaderId          the leader this node knows, or null while there is none
     * @param commitIndex       the highest log index this node knows to be committed
     * @param appliedIndex      the highest log index applied here
     * @param lastSnapshotIndex the log index of the last snapshot taken or installed here (0 if none)
     * @param snapshotInstalls  snapshots installed from a leader since the node started
     * @param failed            the node failed to apply an entry and no longer serves
     * @param followers         when this node leads: each follower's progress; otherwise empty
     */
    public record Cluster(String nodeId, String role, String leaderId, long term, long commitIndex, long appliedIndex,
                          long lastSnapshotIndex, long snapshotsTaken, long snapshotInstalls, boolean failed,
                          List<Peer> peers, List<FollowerLag> followers) {
    }

    /** A member of the group: its id and the address its peers reach it on. */
    public record Peer(String id, String address) {
    }

    /**
     * How far a follower is behind the leader.
     *
     * @param matchIndex the highest log index the leader knows the follower holds
     * @param lag        entries in the leader's log after it
     */
    public record FollowerLag(String id, long matchIndex, long lag) {
    }

    /** {@code tessera cluster replace}: the membership change done, and the group as the node sees it after it. */
    public record Replace(String dead, String replacement, String address, Cluster cluster) {
    }

    /**
     * One access key, never its secret.
     *
     * @param created ISO-8601
     * @param buckets its permissions by bucket name: some of read, write, owner
     */
    public record KeyInfo(String accessKeyId, String name, String ownerId, String ownerDisplayName, String created,
                          Map<String, List<String>> buckets) {
    }

    /** {@code tessera key list}: every access key, by id. */
    public record Keys(List<KeyInfo> keys) {
    }

    /** {@code tessera key create}: the key made, and its secret (the only answer that holds it). */
    public record CreatedKey(KeyInfo key, String secretKey) {
    }

    /** {@code tessera bucket allow|deny}: what the key may do on the bucket after the change. */
    public record Grant(String accessKeyId, String name, String bucket, List<String> permissions) {
    }
}
