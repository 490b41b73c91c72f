package io.tessera.engine.meta;

import io.tessera.engine.ChecksumValue;

/** A committed part of an open upload: which blob holds its bytes, and its digests. */
public record PartRecord(long blobId, long size, String etag, ChecksumValue checksum, long lastModifiedMillis) {
    private static final int VERSION = 1;

    public byte[] encode() {
        ValueWriter w = new ValueWriter(VERSION).putLong(blobId).putLong(size).putString(etag);
        ChecksumCodec.put(w, checksum);
        return w.putLong(lastModifiedMillis).toByteArray();
    }

    public static PartRecord decode(byte[] v) {
        ValueReader r = new ValueReader(v, VERSION);
        return new PartRecord(r.getLong(), r.getLong(), r.getString(), ChecksumCodec.get(r), r.getLong());
    }
}
