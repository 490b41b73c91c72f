package io.tessera.engine;

import java.util.Arrays;

/**
 * How a blob is cut into records and the MD5 each record's trailer holds (the MD5 of the blob's bytes up
 * to the record's end; the last one is the whole blob's). A member that sends a blob passes them along, so
 * a receiver that cuts the blob at the same places writes the same trailers without hashing the bytes
 * again ({@link GroupMember#receiveBlob}).
 *
 * @param ends where each record ends in the blob, increasing; the last is the blob's length
 * @param md5s the trailer MD5 of each record, 16 bytes each
 */
public record PieceDigests(long[] ends, byte[][] md5s) {
    public PieceDigests {
        if (ends.length == 0 || ends.length != md5s.length) {
            throw new IllegalArgumentException("one MD5 per record end, and at least one record");
        }
        for (int i = 0; i < ends.length; i++) {
            if (md5s[i].length != 16 || (i > 0 ? ends[i] <= ends[i - 1] : ends[i] < 0)) {
                throw new IllegalArgumentException("record ends must increase and MD5s be 16 bytes");
            }
        }
        ends = ends.clone();
        md5s = Arrays.stream(md5s).map(byte[]::clone).toArray(byte[][]::new);
    }

    /** The number of records. */
    public int count() {
        return ends.length;
    }

    /** The blob's length. */
    public long length() {
        return ends[ends.length - 1];
    }

    /** Whether cutting the blob every {@code pieceSize} bytes gives these records (an empty blob is one record). */
    public boolean cutEvery(long pieceSize) {
        long length = length();
        int expected = length == 0 ? 1 : (int) ((length + pieceSize - 1) / pieceSize);
        if (expected != ends.length) {
            return false;
        }
        for (int i = 0; i < ends.length - 1; i++) {
            if (ends[i] != (i + 1) * pieceSize) {
                return false;
            }
        }
        return true;
    }

    /** Where record {@code i} ends in the blob. */
    public long end(int i) {
        return ends[i];
    }

    /** The trailer MD5 of record {@code i}. */
    public byte[] md5(int i) {
        return md5s[i].clone();
    }

    @Override
    public long[] ends() {
        return ends.clone();
    }

    @Override
    public byte[][] md5s() {
        return Arrays.stream(md5s).map(byte[]::clone).toArray(byte[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PieceDigests p && Arrays.equals(ends, p.ends) && Arrays.deepEquals(md5s, p.md5s);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ends) + Arrays.deepHashCode(md5s);
    }

    @Override
    public String toString() {
        return "PieceDigests" + Arrays.toString(ends);
    }
}
