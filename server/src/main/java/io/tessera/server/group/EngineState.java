package io.tessera.server.group;

import io.tessera.cluster.BytesReceiver;
import io.tessera.cluster.BytesSink;
import io.tessera.cluster.PeerRequests;
import io.tessera.cluster.ReplicatedState;
import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.EngineException;
import io.tessera.engine.GroupMember;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The engine as the state its group replicates: the group's log applies entries to it through the
 * engine's one apply. Entries answer nothing through the log: the member that submitted one answers its
 * request from its own apply of it.
 *
 * <p>Called by the group's one state thread.
 */
final class EngineState implements ReplicatedState, BytesReceiver, PeerRequests {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineState.class);
    private static final byte[] NO_ANSWER = new byte[0];
    private static final byte[] SENDING = {1};
    private static final byte[] NOT_HERE = {0};

    private final GroupMember member;
    private final GroupTraffic traffic;
    private volatile BlobShipping shipping;

    EngineState(GroupMember member, GroupTraffic traffic) {
        this.member = member;
        this.traffic = traffic;
    }

    @Override
    public long appliedIndex() {
        return member.appliedIndex();
    }

    @Override
    public byte[] apply(long index, byte[] entry) {
        member.apply(index, entry);
        traffic.applied(GroupMember.commandName(entry));
        return NO_ANSWER;
    }

    @Override
    public long persist() {
        return member.persist();
    }

    /** Serves other members' fetches of blobs they lack from this member's copies. */
    void serveFetchesWith(BlobShipping s) {
        this.shipping = s;
    }

    /**
     * A member that lacks a blob asks for it ({@link BlobFetch}): if this member holds it, the bytes
     * start towards the asker at once and the answer says so; otherwise the asker tries another.
     */
    @Override
    public byte[] answer(byte[] request) throws IOException {
        BlobFetch fetch = BlobFetch.decode(request);
        BlobShipping s = shipping;
        if (s == null || !member.holdsBlob(fetch.blobId())) {
            return NOT_HERE;
        }
        s.send(fetch.requester(), fetch.blobId()).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn("sending blob {} to {} failed: {}", fetch.blobId(), fetch.requester(), e.toString());
            }
        });
        return SENDING;
    }

    /**
     * Bytes another member sends ahead of the entry that names them: held here durably until it applies,
     * once the CRC32C that follows them matched.
     */
    @Override
    public BytesSink receive(byte[] header, long length) throws IOException {
        BlobHeader h = BlobHeader.decode(header);
        if (length != h.transferLength()) {
            throw new IOException("blob " + h.blobId() + ": " + length + " bytes announced, its header says "
                    + h.transferLength());
        }
        BodyWriter<Void> writer;
        try {
            writer = member.receiveBlob(h.blobId(), h.part(), h.uploadId(), h.partNumber(), h.length(), h.digests());
        } catch (EngineException e) {
            throw new IOException("cannot receive blob " + h.blobId() + ": " + e.getMessage(), e);
        }
        return new BytesSink() {
            private final CRC32C crc = new CRC32C();
            private final ByteBuffer trailer = ByteBuffer.allocate(BlobHeader.TRAILER_BYTES);
            private long received;

            @Override
            public void write(ByteBuffer src) throws IOException {
                traffic.received(src.remaining());
                int body = (int) Math.min(src.remaining(), h.length() - received);
                if (body > 0) {
                    ByteBuffer bytes = src.slice(src.position(), body);
                    crc.update(bytes.duplicate());
                    try {
                        writer.write(bytes);
                    } catch (EngineException e) {
                        throw new IOException(e.getMessage(), e);
                    }
                    src.position(src.position() + body);
                    received += body;
                }
                if (src.remaining() > trailer.remaining()) {
                    throw new IOException("blob " + h.blobId() + ": more bytes than announced");
                }
                trailer.put(src);
            }

            @Override
            public void commit() throws IOException {
                try {
                    if (trailer.hasRemaining() || trailer.getInt(0) != (int) crc.getValue()) {
                        throw new IOException("blob " + h.blobId() + " arrived damaged: its CRC32C does not match");
                    }
                    writer.commit(BodyExpectations.NONE);
                } catch (EngineException e) {
                    throw new IOException("blob " + h.blobId() + " was not kept: " + e.getMessage(), e);
                } finally {
                    writer.close();
                }
            }

            @Override
            public void abort() {
                writer.close();
            }
        };
    }

    /** The engine's metadata at the applied index; blobs are not in it (an installing member fetches them). */
    @Override
    public long checkpoint(Path dir) {
        return member.checkpoint(dir);
    }

    /**
     * Replaces the replicated state with a checkpoint; the blobs it names that this member lacks are then
     * missing, and {@link BlobRepair} fetches them from the others.
     */
    @Override
    public void install(Path dir) {
        member.install(dir);
    }
}
