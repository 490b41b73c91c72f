package io.tessera.engine.meta;

import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoding of the blobs column family: blobId → the places of its pieces. A blob of one piece keeps the
 * encoding every row had before blobs had pieces (value version 1: segment id, record offset, body length,
 * record length), so existing rows decode unchanged; a blob of several pieces is value version 2: their
 * count, then each piece as version 1 holds its one.
 */
public final class BlobCodec {
    private static final int ONE_PIECE = 1;
    private static final int PIECES = 2;

    private BlobCodec() {
    }

    public static byte[] encode(BlobPieces blob) {
        if (blob.count() == 1) {
            return put(new ValueWriter(ONE_PIECE), blob.piece(0)).toByteArray();
        }
        ValueWriter w = new ValueWriter(PIECES).putInt(blob.count());
        for (BlobLocation p : blob.pieces()) {
            put(w, p);
        }
        return w.toByteArray();
    }

    private static ValueWriter put(ValueWriter w, BlobLocation loc) {
        return w.putLong(loc.segmentId()).putLong(loc.offset()).putLong(loc.bodyLength()).putLong(loc.recordLength());
    }

    public static BlobPieces decode(byte[] v) {
        int version = v.length == 0 ? -1 : v[0] & 0xff;
        if (version == ONE_PIECE) {
            return BlobPieces.of(location(new ValueReader(v, ONE_PIECE)));
        }
        ValueReader r = new ValueReader(v, PIECES);
        int n = r.getInt();
        List<BlobLocation> pieces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pieces.add(location(r));
        }
        return new BlobPieces(pieces);
    }

    private static BlobLocation location(ValueReader r) {
        return new BlobLocation(r.getLong(), r.getLong(), r.getLong(), r.getLong());
    }
}
