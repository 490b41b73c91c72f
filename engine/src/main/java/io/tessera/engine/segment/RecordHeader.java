package io.tessera.engine.segment;

import java.util.Arrays;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The self-describing header of a record: which blob it is, which piece of it (the offset of its body
 * within the blob; 0 for the first piece, and for every record written before blobs had pieces), how long
 * its body is and whom it belongs to. Encoded and parsed with Chronicle Bytes; see {@link RecordFormat}
 * for the layout.
 */
public record RecordHeader(RecordKind kind, long blobId, long blobOffset, long bodyLength, byte[] owner,
                           int partNumber) {
    private static final int CRC_OFFSET = RecordFormat.HEADER_SIZE - 4;
    private static final byte[] NO_OWNER = new byte[16];

    public RecordHeader {
        owner = owner == null ? NO_OWNER : owner;
        if (owner.length != 16) {
            throw new IllegalArgumentException("owner must be 16 bytes");
        }
        if (blobOffset < 0) {
            throw new IllegalArgumentException("negative blob offset " + blobOffset);
        }
    }

    /** The same record's header with another body length (a header is built before its body is known). */
    public RecordHeader withBodyLength(long length) {
        return new RecordHeader(kind, blobId, blobOffset, length, owner, partNumber);
    }

    public byte[] encode() {
        byte[] out = new byte[RecordFormat.HEADER_SIZE];
        Bytes<byte[]> bytes = Bytes.wrapForWrite(out);
        try {
            bytes.writeInt(RecordFormat.RECORD_MAGIC)
                    .writeByte(RecordFormat.VERSION)
                    .writeByte((byte) kind.code())
                    .writeByte((byte) RecordFormat.BLOCK_SHIFT)
                    .writeByte((byte) 0)
                    .writeLong(blobId)
                    .writeLong(bodyLength)
                    .write(owner)
                    .writeInt(partNumber)
                    .writeLong(blobOffset); // then 8 reserved zero bytes
        } finally {
            bytes.releaseLast();
        }
        CRC32C crc = new CRC32C();
        crc.update(out, 0, CRC_OFFSET);
        writeIntLE(out, CRC_OFFSET, (int) crc.getValue());
        return out;
    }

    /**
     * Parses and validates a header. Returns null when the bytes are not a valid header (bad magic,
     * version, CRC or block size): a scan treats that as the end of the valid records.
     */
    public static RecordHeader decode(byte[] in) {
        if (in.length < RecordFormat.HEADER_SIZE) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(in, 0, CRC_OFFSET);
        if ((int) crc.getValue() != readIntLE(in, CRC_OFFSET)) {
            return null;
        }
        Bytes<byte[]> bytes = Bytes.wrapForRead(in);
        try {
            if (bytes.readInt() != RecordFormat.RECORD_MAGIC || bytes.readByte() != RecordFormat.VERSION) {
                return null;
            }
            int kind = bytes.readUnsignedByte();
            int blockShift = bytes.readUnsignedByte();
            bytes.readByte();
            long blobId = bytes.readLong();
            long bodyLength = bytes.readLong();
            byte[] owner = new byte[16];
            bytes.read(owner);
            int partNumber = bytes.readInt();
            long blobOffset = bytes.readLong();
            if (blockShift != RecordFormat.BLOCK_SHIFT || bodyLength < 0 || blobOffset < 0
                    || (kind != 1 && kind != 2)) {
                return null;
            }
            return new RecordHeader(RecordKind.fromCode(kind), blobId, blobOffset, bodyLength, owner, partNumber);
        } finally {
            bytes.releaseLast();
        }
    }

    static int readIntLE(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static void writeIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordHeader h && h.kind == kind && h.blobId == blobId && h.blobOffset == blobOffset
                && h.bodyLength == bodyLength && Arrays.equals(h.owner, owner) && h.partNumber == partNumber;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(blobId) * 31 + Arrays.hashCode(owner);
    }

    @Override
    public String toString() {
        return "RecordHeader[" + kind + " blob=" + blobId + " at=" + blobOffset + " len=" + bodyLength + " part="
                + partNumber + "]";
    }
}
