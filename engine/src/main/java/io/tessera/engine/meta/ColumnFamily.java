package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;

/**
 * The column families of the metadata store, one per kind of record (key layouts in
 * {@code src/spec/metadata-keys.md}). All keys are big-endian so that byte order is listing order.
 */
enum ColumnFamily {
    /** bucket name (UTF-8) → {@link BucketRecord}. */
    BUCKETS("buckets", Replication.REPLICATED),
    /** bucketId u64 ‖ key (UTF-8) → {@link ObjectRecord}. */
    OBJECTS("objects", Replication.REPLICATED),
    /** uploadId (16) → {@link UploadRecord}; ACTIVE, or a COMPLETED/ABORTED tombstone. */
    UPLOADS("uploads", Replication.REPLICATED),
    /** bucketId u64 ‖ key ‖ 0x00 ‖ uploadId (16) → empty; only ACTIVE uploads, for ListMultipartUploads. */
    UPLOAD_KEYS("upload_keys", Replication.REPLICATED),
    /** uploadId (16) ‖ partNumber u32 → {@link PartRecord}. */
    PARTS("parts", Replication.REPLICATED),
    /** blobId u64 → blob location (segment, offset, lengths): the node-local index. */
    BLOBS("blobs", Replication.NODE_LOCAL),
    /** segmentId u64 → {@link SegmentRecord}. */
    SEGMENTS("segments", Replication.NODE_LOCAL),
    /** segmentId u64 → live bytes, u64 little-endian, changed only by merge deltas. */
    SEGMENT_LIVE("segment_live", Replication.NODE_LOCAL),
    /** ASCII name → counters and format version. */
    SYS("sys", Replication.PARTLY),
    /** finishedMillis u64 ‖ uploadId → empty: every tombstone by age, for purging. */
    TOMBSTONES("tombstones", Replication.REPLICATED),
    /** uploadId → empty: aborted uploads whose parts await the background reclaim. */
    RECLAIM("reclaim", Replication.REPLICATED),
    /** bucketId u64 ‖ counter u8 → u64 little-endian, changed only by merge deltas: a bucket's usage. */
    BUCKET_USAGE("bucket_usage", Replication.REPLICATED),
    /** bucketId u64 ‖ name (ASCII) → the document of one bucket sub-resource (lifecycle, CORS, tags...). */
    BUCKET_CONFIG("bucket_config", Replication.REPLICATED),
    /**
     * bucketId u64 ‖ key ‖ 0x00 ‖ ~stamp u64 ‖ versionId (ASCII) ‖ id length u8 → {@link ObjectRecord}: every
     * version of a key but its current object (which stays in {@code objects}), delete markers included.
     */
    OBJECT_VERSIONS("object_versions", Replication.REPLICATED),
    /**
     * blobId u64 → received-at millis u64 (node-local): blobs held durably (their {@code blobs} row counted
     * live) before the command that names them applies; the apply, or the retention sweep, removes them.
     */
    PENDING_BLOBS("pending_blobs", Replication.NODE_LOCAL),
    /** accessKeyId (UTF-8) → the key's document (secret, name, owner...: the front end's format). */
    ACCESS_KEYS("access_keys", Replication.REPLICATED),
    /** bucket name (UTF-8) ‖ 0x00 ‖ accessKeyId (UTF-8) → a key's permission bits u8, never 0. */
    ACCESS_GRANTS("access_grants", Replication.REPLICATED);

    /** Whether a family's rows are the group's replicated state or this node's own. */
    enum Replication {
        /** Written only by the apply of commands: the same on every member at one applied index. */
        REPLICATED,
        /** Where this node's bytes lie, and what it holds for commands not applied yet: never copied. */
        NODE_LOCAL,
        /** {@code sys}: the log position and markers are replicated, id sequences and the node prefix are not. */
        PARTLY
    }

    private final String cfName;
    private final Replication replication;

    ColumnFamily(String cfName, Replication replication) {
        this.cfName = cfName;
        this.replication = replication;
    }

    Replication replication() {
        return replication;
    }

    byte[] nameBytes() {
        return cfName.getBytes(StandardCharsets.US_ASCII);
    }
}
