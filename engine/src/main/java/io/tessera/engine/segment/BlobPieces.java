package io.tessera.engine.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a blob's bytes lie: its pieces in blob order, each one record ({@link BlobLocation}), possibly
 * in different segments. Piece {@code i} starts in the blob where piece {@code i - 1} ends, so the pieces
 * are contiguous by construction and their body lengths add up to the blob's length. A body of at most
 * one piece size, and every blob written before blobs had pieces, has exactly one.
 *
 * <p>Immutable; compaction re-points a piece by making a new value ({@link #with}).
 */
public final class BlobPieces {
    private final List<BlobLocation> pieces;
    /** Blob offset of each piece's first body byte. */
    private final long[] starts;
    private final long length;

    public BlobPieces(List<BlobLocation> pieces) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("a blob has at least one piece");
        }
        this.pieces = List.copyOf(pieces);
        this.starts = new long[pieces.size()];
        long at = 0;
        for (int i = 0; i < pieces.size(); i++) {
            starts[i] = at;
            at += pieces.get(i).bodyLength();
        }
        this.length = at;
    }

    /** A blob of one piece. */
    public static BlobPieces of(BlobLocation only) {
        return new BlobPieces(List.of(only));
    }

    public List<BlobLocation> pieces() {
        return pieces;
    }

    public int count() {
        return pieces.size();
    }

    public BlobLocation piece(int i) {
        return pieces.get(i);
    }

    /** Where piece {@code i}'s body starts in the blob. */
    public long start(int i) {
        return starts[i];
    }

    /** The blob's length: the sum of its pieces' body lengths. */
    public long length() {
        return length;
    }

    /** The piece whose body starts at {@code blobOffset}, or -1 when none does. */
    public int indexAt(long blobOffset) {
        int i = java.util.Arrays.binarySearch(starts, blobOffset);
        if (i < 0) {
            return -1;
        }
        while (i > 0 && starts[i - 1] == blobOffset) {
            i--; // an empty piece shares its start with the next: only a one-piece blob is ever empty
        }
        return i;
    }

    /** The same blob with piece {@code i} at another place (a compaction copy of the same body). */
    public BlobPieces with(int i, BlobLocation moved) {
        if (moved.bodyLength() != pieces.get(i).bodyLength()) {
            throw new IllegalArgumentException("a moved piece keeps its body length");
        }
        List<BlobLocation> copy = new ArrayList<>(pieces);
        copy.set(i, moved);
        return new BlobPieces(copy);
    }

    /** Record bytes per segment: what the blob counts among each segment's live bytes. */
    public Map<Long, Long> recordBytesBySegment() {
        Map<Long, Long> out = new TreeMap<>();
        for (BlobLocation p : pieces) {
            out.merge(p.segmentId(), p.recordLength(), Long::sum);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobPieces b && b.pieces.equals(pieces);
    }

    @Override
    public int hashCode() {
        return pieces.hashCode();
    }

    @Override
    public String toString() {
        return "BlobPieces" + pieces;
    }
}
