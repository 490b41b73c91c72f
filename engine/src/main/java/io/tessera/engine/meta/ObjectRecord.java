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
 */
public record ObjectRecord(long size, String etag, long lastModifiedMillis, Map<String, String> metadata,
                           String owner, ObjectChecksum checksum, List<Extent> extents) {
    private static final int VERSION = 1;

    /** One blob of the object. */
    public record Extent(long blobId, long size, int partNumber, String etag, ChecksumValue checksum) {
    }

    public boolean multipart() {
        return extents.size() > 0 && extents.get(0).partNumber() > 0;
    }

    public byte[] encode() {
        ValueWriter w = new ValueWriter(VERSION).putLong(size).putString(etag).putLong(lastModifiedMillis)
                .putStringMap(metadata).putString(owner);
        ChecksumCodec.put(w, checksum);
        w.putInt(extents.size());
        for (Extent e : extents) {
            w.putLong(e.blobId()).putLong(e.size()).putInt(e.partNumber()).putString(e.etag());
            ChecksumCodec.put(w, e.checksum());
        }
        return w.toByteArray();
    }

    public static ObjectRecord decode(byte[] v) {
        ValueReader r = new ValueReader(v, VERSION);
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
        return new ObjectRecord(size, etag, modified, metadata, owner, checksum, extents);
    }
}
