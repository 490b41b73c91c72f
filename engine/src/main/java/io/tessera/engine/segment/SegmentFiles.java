package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Names and the 4 KiB file header of segment files. A segment is {@code <20-digit id>.seg}; ids are
 * never reused, so lexical order is creation order.
 *
 * <pre>
 * 0  magic u32 "TSSG" | 4 version u16 | 6 flags u16 | 8 segmentId u64 | 16 createdAtMillis u64
 * ... zero ... | 4092 headerCrc u32 = CRC32C(bytes 0..4091)
 * </pre>
 */
public final class SegmentFiles {
    public static final int FILE_HEADER_SIZE = 4096;
    public static final String SUFFIX = ".seg";
    private static final int MAGIC = 0x47535354; // "TSSG" little-endian
    private static final short VERSION = 1;

    private SegmentFiles() {
    }

    public static String fileName(long segmentId) {
        return String.format("%020d%s", segmentId, SUFFIX);
    }

    public static Path path(Path dir, long segmentId) {
        return dir.resolve(fileName(segmentId));
    }

    /** Parses a segment id from a file name, or returns -1 if the name is not a segment's. */
    public static long parseId(String fileName) {
        if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static ByteBuffer header(long segmentId, long createdAtMillis) {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(segmentId).putLong(createdAtMillis);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, FILE_HEADER_SIZE - 4);
        b.putInt(FILE_HEADER_SIZE - 4, (int) crc.getValue());
        b.clear();
        return b;
    }

    /** Checks the file header; returns the segment id it names, or -1 if the header is not valid. */
    public static long readHeader(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) {
                return -1;
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, FILE_HEADER_SIZE - 4);
        if (b.getInt(0) != MAGIC || b.getShort(4) != VERSION || b.getInt(FILE_HEADER_SIZE - 4) != (int) crc.getValue()) {
            return -1;
        }
        return b.getLong(8);
    }
}
