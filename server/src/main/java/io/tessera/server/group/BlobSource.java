package io.tessera.server.group;

import io.tessera.cluster.BytesSource;
import io.tessera.engine.HeldBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The bytes one transfer sends of a held blob: the blob's, read (and CRC-verified) straight from its
 * segments into the transport's buffers, then the CRC32C of all of them ({@link BlobHeader#TRAILER_BYTES}).
 * Closing it (once the transfer ended, however) unpins the blob's segments.
 *
 * <p>Thread-safe: the transfer reads from its thread while the end of the transfer may close it from
 * another; a read in progress finishes first.
 */
final class BlobSource implements BytesSource, AutoCloseable {
    private final HeldBlob held;
    private final long length;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer trailer;
    private boolean closed;

    BlobSource(HeldBlob held) {
        this.held = held;
        this.length = held.length();
    }

    @Override
    public synchronized int read(ByteBuffer dst, long position) throws IOException {
        if (closed) {
            throw new IOException("the transfer of blob " + held.blobId() + " ended");
        }
        if (position < length) {
            int at = dst.position();
            int n = held.read(dst);
            if (n < 0) {
                throw new IOException("blob " + held.blobId() + " ended at byte " + position + " of " + length);
            }
            crc.update(dst.slice(at, n));
            return n;
        }
        if (trailer == null) {
            trailer = ByteBuffer.allocate(BlobHeader.TRAILER_BYTES).putInt(0, (int) crc.getValue());
        }
        int from = (int) (position - length);
        if (from >= BlobHeader.TRAILER_BYTES) {
            return -1;
        }
        int n = Math.min(dst.remaining(), BlobHeader.TRAILER_BYTES - from);
        dst.put(dst.position(), trailer, from, n).position(dst.position() + n);
        return n;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            held.close();
        }
    }
}
