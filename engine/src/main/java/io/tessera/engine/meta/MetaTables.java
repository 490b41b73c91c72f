package io.tessera.engine.meta;

/**
 * Typed access to every column family of one view of the metadata (the live store, or a
 * snapshot). Each table owns the encoding of its keys and values; nothing outside this package
 * sees a column family or a raw key.
 */
public record MetaTables(BucketTable buckets, ObjectTable objects, UploadTable uploads, PartTable parts,
                         BlobTable blobs, SegmentTable segments, UsageTable usage, BucketConfigTable bucketConfig,
                         ObjectVersionTable versions, LogStateTable log,
                         AccessKeyTable accessKeys) {
    static MetaTables of(MetaView view) {
        return new MetaTables(new BucketTable(view), new ObjectTable(view), new UploadTable(view),
                new PartTable(view), new BlobTable(view), new SegmentTable(view), new UsageTable(view),
                new BucketConfigTable(view), new ObjectVersionTable(view), new LogStateTable(view),
                new AccessKeyTable(view));
    }
}
