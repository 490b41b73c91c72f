package io.tessera.engine.segment;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Layout of one record in a segment file (normative description: {@code src/spec/segment-format.md}).
 * All integers are little-endian; records start at 8-byte aligned offsets.
 *
 * <pre>
 * +--------+--------------------------------------------------------------+
 * | offset | header (64 bytes)                                            |
 * +--------+--------------------------------------------------------------+
 * |      0 | magic u32 "TSRC"                                              |
 * |      4 | version u8 (1)                                                |
 * |      5 | kind u8 (1 = part, 2 = object body)                           |
 * |      6 | blockShift u8 (CRC block size = 1 &lt;&lt; blockShift)             |
 * |      7 | flags u8 (0)                                                  |
 * |      8 | blobId u64                                                    |
 * |     16 | bodyLength u64                                                |
 * |     24 | owner 16 bytes (upload id of a part, zero for an object body) |
 * |     40 | partNumber u32                                                |
 * |     44 | blobOffset u64: where this piece's body starts in its blob    |
 * |     52 | reserved 8 bytes (0)                                          |
 * |     60 | headerCrc u32 = CRC32C(bytes 0..59)                           |
 * +--------+--------------------------------------------------------------+
 * | body: bodyLength bytes                                                |
 * +-----------------------------------------------------------------------+
 * | trailer: blockCrc u32 x ceil(bodyLength / blockSize), md5 16 bytes,   |
 * |          trailerMagic u32 "TSTR", trailerCrc u32 = CRC32C(trailer     |
 * |          bytes before it); then zero padding to 8-byte alignment      |
 * +-----------------------------------------------------------------------+
 * </pre>
 *
 * The header has its own CRC so that a corrupt length never drives an allocation or a seek; body
 * CRCs are per block so that a range read verifies only the blocks it touches. A blob may be split into
 * pieces, each one record: the trailer's MD5 is that of the blob's bytes from its start to the end of the
 * record's body (for a one-piece blob, the MD5 of the body), so that no byte is hashed twice.
 */
public final class RecordFormat {
    public static final int HEADER_SIZE = 64;
    public static final int RECORD_MAGIC = 0x43525354; // "TSRC" little-endian
    public static final int TRAILER_MAGIC = 0x52545354; // "TSTR" little-endian
    public static final byte VERSION = 1;
    public static final int BLOCK_SHIFT = 18;
    public static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;
    public static final int MD5_SIZE = 16;
    /** Fixed trailer bytes after the block CRCs: md5, magic, crc. */
    public static final int TRAILER_FIXED = MD5_SIZE + 4 + 4;

    private RecordFormat() {
    }

    public static long blockCount(long bodyLength) {
        return (bodyLength + BLOCK_SIZE - 1) >>> BLOCK_SHIFT;
    }

    public static long trailerLength(long bodyLength) {
        return blockCount(bodyLength) * 4 + TRAILER_FIXED;
    }

    public static long recordLength(long bodyLength) {
        return align8(HEADER_SIZE + bodyLength + trailerLength(bodyLength));
    }

    public static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * Puts a trailer at {@code t}'s position (a little-endian buffer): the block CRCs, the MD5, the magic
     * and the CRC32C of those.
     */
    static void putTrailer(ByteBuffer t, int[] blockCrcs, int blocks, byte[] md5) {
        int start = t.position();
        for (int i = 0; i < blocks; i++) {
            t.putInt(blockCrcs[i]);
        }
        t.put(md5);
        t.putInt(TRAILER_MAGIC);
        CRC32C crc = new CRC32C();
        crc.update(t.slice(start, t.position() - start));
        t.putInt((int) crc.getValue());
    }
}
