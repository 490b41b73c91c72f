package io.tessera.server.group;

import io.tessera.engine.HeldBlob;
import io.tessera.engine.PieceDigests;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * What travels ahead of a blob's bytes to another member: its id, length, the owner its records name (an
 * object's body, or a part's upload id and number), so the receiver writes records like the sender's, and
 * the sender's {@link PieceDigests}, so a receiver that cuts the blob at the same places need not hash it
 * again. After the blob's bytes come {@link #TRAILER_BYTES}: the CRC32C of the blob, which the receiver
 * checks before it keeps the bytes.
 *
 * @param uploadId   16 bytes for a part, null for an object's body
 * @param partNumber the part's number, 0 for an object's body
 * @param digests    the sender's records, or null (the receiver then hashes the bytes itself)
 */
record BlobHeader(long blobId, long length, byte[] uploadId, int partNumber, PieceDigests digests) {
    /** The CRC32C after the blob's bytes. */
    static final int TRAILER_BYTES = 4;
    private static final int VERSION = 2;
    /** More records than this (a blob of several GiB in small pieces) travel without digests: a short header. */
    private static final int MAX_DIGESTS = 4096;
    private static final int MD5_BYTES = 16;

    static BlobHeader of(HeldBlob blob) {
        PieceDigests digests = blob.pieceDigests();
        return new BlobHeader(blob.blobId(), blob.length(), blob.part() ? blob.uploadId() : null, blob.partNumber(),
                digests.count() <= MAX_DIGESTS ? digests : null);
    }

    boolean part() {
        return uploadId != null;
    }

    /** The bytes that follow this header: the blob's, then its CRC32C. */
    long transferLength() {
        return length + TRAILER_BYTES;
    }

    byte[] encode() {
        int records = digests == null ? 0 : digests.count();
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 1 + 16 + 4 + 4 + records * (8 + MD5_BYTES));
        b.put((byte) VERSION).putLong(blobId).putLong(length).put((byte) (uploadId == null ? 0 : 1));
        if (uploadId != null) {
            b.put(uploadId);
        }
        b.putInt(partNumber).putInt(records);
        for (int i = 0; i < records; i++) {
            b.putLong(digests.end(i)).put(digests.md5(i));
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static BlobHeader decode(byte[] bytes) throws IOException {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != VERSION) {
                throw new IOException("unknown blob header version");
            }
            long blobId = b.getLong();
            long length = b.getLong();
            byte[] uploadId = null;
            if (b.get() != 0) {
                uploadId = new byte[16];
                b.get(uploadId);
            }
            int partNumber = b.getInt();
            int records = b.getInt();
            if (records < 0 || records > MAX_DIGESTS || length < 0) {
                throw new IOException("blob header out of range");
            }
            PieceDigests digests = null;
            if (records > 0) {
                long[] ends = new long[records];
                byte[][] md5s = new byte[records][MD5_BYTES];
                for (int i = 0; i < records; i++) {
                    ends[i] = b.getLong();
                    b.get(md5s[i]);
                }
                digests = new PieceDigests(ends, md5s);
            }
            return new BlobHeader(blobId, length, uploadId, partNumber, digests);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("malformed blob header", e);
        }
    }
}
