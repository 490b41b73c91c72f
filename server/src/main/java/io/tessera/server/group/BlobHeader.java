package io.tessera.server.group;

import io.tessera.engine.HeldBlob;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What travels ahead of a blob's bytes to another member: its id, and the owner its records name (an
 * object's body, or a part's upload id and number), so the receiver writes records like the sender's.
 *
 * @param uploadId   16 bytes for a part, null for an object's body
 * @param partNumber the part's number, 0 for an object's body
 */
record BlobHeader(long blobId, byte[] uploadId, int partNumber) {
    private static final int VERSION = 1;

    static BlobHeader of(HeldBlob blob) {
        return new BlobHeader(blob.blobId(), blob.part() ? blob.uploadId() : null, blob.partNumber());
    }

    boolean part() {
        return uploadId != null;
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 1 + 16 + 4);
        b.put((byte) VERSION).putLong(blobId).put((byte) (uploadId == null ? 0 : 1));
        if (uploadId != null) {
            b.put(uploadId);
        }
        b.putInt(partNumber);
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
            byte[] uploadId = null;
            if (b.get() != 0) {
                uploadId = new byte[16];
                b.get(uploadId);
            }
            return new BlobHeader(blobId, uploadId, b.getInt());
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("truncated blob header", e);
        }
    }
}
