package io.tessera.engine.meta;

import io.tessera.engine.segment.BlobLocation;

/** Encoding of the blobs column family: blobId → location. */
public final class BlobCodec {
    private static final int VERSION = 1;

    private BlobCodec() {
    }

    public static byte[] encode(BlobLocation loc) {
        return new ValueWriter(VERSION).putLong(loc.segmentId()).putLong(loc.offset()).putLong(loc.bodyLength())
                .putLong(loc.recordLength()).toByteArray();
    }

    public static BlobLocation decode(byte[] v) {
        ValueReader r = new ValueReader(v, VERSION);
        return new BlobLocation(r.getLong(), r.getLong(), r.getLong(), r.getLong());
    }
}
