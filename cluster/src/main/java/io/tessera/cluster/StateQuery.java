package io.tessera.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The read-only requests one node sends another's state machine (never log entries): a read barrier,
 * the three steps of copying a checkpoint from the leader, and a request of the state's own to one peer
 * ({@link PeerRequests}). Each message starts with its kind.
 *
 * <p>Immutable.
 *
 * @param kind    what is asked
 * @param id      the checkpoint (read, close)
 * @param fileNo  the file in the checkpoint's manifest (read)
 * @param offset  where in that file (read)
 * @param length  how many bytes at most (read)
 * @param payload the state's own request (peer), else empty
 */
record StateQuery(Kind kind, long id, int fileNo, long offset, int length, byte[] payload) {
    enum Kind { BARRIER, CHECKPOINT_OPEN, CHECKPOINT_READ, CHECKPOINT_CLOSE, PEER }

    private static final byte[] NONE = new byte[0];
    static final StateQuery BARRIER = new StateQuery(Kind.BARRIER, 0, 0, 0, 0, NONE);
    static final StateQuery OPEN = new StateQuery(Kind.CHECKPOINT_OPEN, 0, 0, 0, 0, NONE);

    static StateQuery read(long id, int fileNo, long offset, int length) {
        return new StateQuery(Kind.CHECKPOINT_READ, id, fileNo, offset, length, NONE);
    }

    static StateQuery close(long id) {
        return new StateQuery(Kind.CHECKPOINT_CLOSE, id, 0, 0, 0, NONE);
    }

    static StateQuery peer(byte[] request) {
        return new StateQuery(Kind.PEER, 0, 0, 0, 0, request);
    }

    Message toMessage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind.ordinal());
            out.writeLong(id);
            out.writeInt(fileNo);
            out.writeLong(offset);
            out.writeInt(length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Message.valueOf(ByteString.copyFrom(bytes.toByteArray()));
    }

    static StateQuery fromMessage(Message message) throws IOException {
        try (DataInputStream in = new DataInputStream(message.getContent().newInput())) {
            int kind = in.readUnsignedByte();
            if (kind >= Kind.values().length) {
                throw new IOException("unknown query kind " + kind);
            }
            return new StateQuery(Kind.values()[kind], in.readLong(), in.readInt(), in.readLong(), in.readInt(),
                    in.readAllBytes());
        }
    }
}
