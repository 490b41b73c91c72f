package io.tessera.engine.meta;

import io.tessera.engine.ChecksumValue;
import io.tessera.engine.ObjectChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An object's manifest: size, ETag, metadata, and the extents (blobs) whose bytes, concatenated in
 * order, are the object. A single-shot object has one extent with part number 0; a completed upload
 * has one extent per listed part, pointing at the part's bytes where they already lie.
 *
 * <p>In a bucket that has had versioning, a row is one version: {@code stamp} orders the versions of
 * a key (0 for rows written before versioning, which are older than every stamped one),
 * {@code versionId} names it (null for the {@code null} version) and a {@code deleteMarker} row has
 * no bytes. Rows of never-versioned buckets keep stamp 0, no id, and the version-1 encoding.
 */
public record ObjectRecord(long size, String etag, long lastModifiedMillis, Map<String, String> metadata,
                           String owner, ObjectChecksum checksum, List<Extent> extents, String versionId, long stamp,
                           boolean deleteMarker) {
    private static final int VERSION = 1;
    private static final int VERSIONED = 2;

    /** One blob of the object. */
    public record Extent(long blobId, long size, int partNumber, String etag, ChecksumValue checksum) {
    }

    /** A row of a never-versioned bucket (no version id, no stamp). */
    public ObjectRecord(long size, String etag, long lastModifiedMillis, Map<String, String> metadata,
                        String owner, ObjectChecksum checksum, List<Extent> extents) {
        this(size, etag, lastModifiedMillis, metadata, owner, checksum, extents, null, 0, false);
    }

    /** A delete marker. */
    public static ObjectRecord marker(String versionId, long stamp, long modifiedMillis, String owner) {
        return new ObjectRecord(0, "", modifiedMillis, Map.of(), owner, null, List.of(), versionId, stamp, true);
    }

    /** This row as the version {@code versionId} (null: the null version) ordered by {@code stamp}. */
    public ObjectRecord asVersion(String id, long newStamp) {
        return new ObjectRecord(size, etag, lastModifiedMillis, metadata, owner, checksum, extents, id, newStamp,
                deleteMarker);
    }

    public boolean multipart() {
        return extents.size() > 0 && extents.get(0).partNumber() > 0;
    }

    /** True for the {@code null} version (written while unversioned or suspended). */
    public boolean isNullVersion() {
        return versionId == null;
    }

    public byte[] encode() {
        boolean versioned = stamp != 0 || versionId != null || deleteMarker;
        ValueWriter w = new ValueWriter(versioned ? VERSIONED : VERSION).putLong(size).putString(etag)
                .putLong(lastModifiedMillis).putStringMap(metadata).putString(owner);
        ChecksumCodec.put(w, checksum);
        w.putInt(extents.size());
        for (Extent e : extents) {
            w.putLong(e.blobId()).putLong(e.size()).putInt(e.partNumber()).putString(e.etag());
            ChecksumCodec.put(w, e.checksum());
        }
        if (versioned) {
            w.putBoolean(versionId != null);
            if (versionId != null) {
                w.putString(versionId);
            }
            w.putLong(stamp).putBoolean(deleteMarker);
        }
        return w.toByteArray();
    }

    public static ObjectRecord decode(byte[] v) {
        boolean versioned = (v[0] & 0xff) == VERSIONED;
        ValueReader r = new ValueReader(v, versioned ? VERSIONED : VERSION);
        long size = r.getLong();
        String etag = r.getString();
        long modified = r.getLong();
        Map<String, String> metadata = r.getStringMap();
        String owner = r.getString();
        ObjectChecksum checksum = ChecksumCodec.getObject(r);
        int n = r.getInt();
        List<Extent> extents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            extents.add(new Extent(r.getLong(), r.getLong(), r.getInt(), r.getString(), ChecksumCodec.get(r)));
        }
        if (!versioned) {
            return new ObjectRecord(size, etag, modified, metadata, owner, checksum, extents);
        }
        String id = r.getBoolean() ? r.getString() : null;
        long stamp = r.getLong();
        boolean marker = r.getBoolean();
        return new ObjectRecord(size, etag, modified, metadata, owner, checksum, extents, id, stamp, marker);
    }
}
