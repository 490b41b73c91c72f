package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads ranges of a record's body and proves them: every CRC block a range touches is read and
 * checked against the trailer before any of its bytes are handed out. A mismatch, or a header that
 * no longer names the expected blob, is a {@link CorruptRecordException}: wrong data never leaves.
 */
public final class BlobReader {
    private BlobReader() {
    }

    /**
     * Checks that the record at {@code loc} has a valid header naming {@code blobId}, the piece of it that
     * starts at {@code blobOffset}, and the location's body length.
     */
    public static void checkHeader(FileChannel ch, long blobId, long blobOffset, BlobLocation loc) throws IOException {
        ByteBuffer hb = ByteBuffer.allocate(RecordFormat.HEADER_SIZE);
        readFully(ch, hb, loc.offset());
        RecordHeader h = RecordHeader.decode(hb.array());
        if (h == null || h.blobId() != blobId || h.blobOffset() != blobOffset || h.bodyLength() != loc.bodyLength()) {
            throw new CorruptRecordException("record header of blob " + blobId + " (piece at " + blobOffset
                    + ") at segment " + loc.segmentId() + " offset " + loc.offset()
                    + " is damaged or names another record");
        }
    }

    /** The MD5 the trailer holds (check {@link #trailerIntact} first). */
    public static byte[] trailerMd5(FileChannel ch, BlobLocation loc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RecordFormat.MD5_SIZE);
        readFully(ch, b, loc.bodyOffset() + loc.bodyLength() + RecordFormat.blockCount(loc.bodyLength()) * 4);
        return b.array();
    }

    /** Checks the trailer's magic and CRC (the block CRCs and MD5 it protects). */
    public static boolean trailerIntact(FileChannel ch, BlobLocation loc) throws IOException {
        int len = (int) RecordFormat.trailerLength(loc.bodyLength());
        ByteBuffer t = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, t, loc.bodyOffset() + loc.bodyLength());
        CRC32C crc = new CRC32C();
        crc.update(t.array(), 0, len - 4);
        return t.getInt(len - 8) == RecordFormat.TRAILER_MAGIC && t.getInt(len - 4) == (int) crc.getValue();
    }

    /** Reads the trailer CRCs of blocks {@code [first, first + count)}. */
    public static int[] blockCrcs(FileChannel ch, BlobLocation loc, long first, int count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, loc.bodyOffset() + loc.bodyLength() + first * 4);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = b.getInt(i * 4);
        }
        return out;
    }

    /**
     * Reads body bytes {@code [blockStart, blockStart + buf.remaining())}, which must be whole CRC
     * blocks (the last may be short at the body's end), into {@code buf} and verifies them.
     */
    public static void readVerified(FileChannel ch, long blobId, BlobLocation loc, long firstBlock, ByteBuffer buf)
            throws IOException {
        int len = buf.remaining();
        int count = (int) RecordFormat.blockCount(len);
        int[] expected = blockCrcs(ch, loc, firstBlock, count);
        int start = buf.position();
        readFully(ch, buf, loc.bodyOffset() + (firstBlock << RecordFormat.BLOCK_SHIFT));
        CRC32C crc = new CRC32C();
        for (int i = 0; i < count; i++) {
            int from = start + (i << RecordFormat.BLOCK_SHIFT);
            int to = Math.min(start + len, from + RecordFormat.BLOCK_SIZE);
            crc.reset();
            crc.update(buf.slice(from, to - from));
            if ((int) crc.getValue() != expected[i]) {
                throw new CorruptRecordException("CRC mismatch in block " + (firstBlock + i) + " of blob " + blobId
                        + " (segment " + loc.segmentId() + ", offset " + loc.offset() + ")");
            }
        }
        buf.position(start);
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new CorruptRecordException("segment ends before offset " + pos + " (truncated record)");
            }
            pos += n;
        }
    }

    /** Stored bytes failed verification. */
    public static final class CorruptRecordException extends IOException {
        private static final long serialVersionUID = 1L;

        public CorruptRecordException(String message) {
            super(message);
        }
    }
}
