package io.tessera.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The header of one DataStream transfer as it travels: the length of the bytes that follow (so the
 * receiving side can tell a complete transfer from one cut short) and the sender's own opaque header.
 *
 * <p>Immutable.
 *
 * @param length how many bytes the transfer carries
 * @param header the caller's header, handed to {@link BytesReceiver#receive} unchanged
 */
record TransferHeader(long length, byte[] header) {
    TransferHeader {
        if (length < 0) {
            throw new IllegalArgumentException("negative transfer length " + length);
        }
    }

    ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(Long.BYTES + header.length);
        out.putLong(length).put(header).flip();
        return out;
    }

    static TransferHeader decode(ByteBuffer in) throws IOException {
        if (in.remaining() < Long.BYTES) {
            throw new IOException("a transfer header has " + in.remaining() + " bytes, fewer than its length field");
        }
        long length = in.getLong();
        if (length < 0) {
            throw new IOException("a transfer header announces " + length + " bytes");
        }
        byte[] header = new byte[in.remaining()];
        in.get(header);
        return new TransferHeader(length, header);
    }
}
