package io.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.cluster.BytesSink;
import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.Engine;
import io.tessera.engine.GroupMember;
import io.tessera.engine.HeldBlob;
import io.tessera.engine.testkit.TestEngines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One blob's way between two members without the network: what a sender's {@link BlobSource} produces
 * (the blob's bytes, then their CRC32C) is what a receiver's sink ({@link EngineState#receive}) takes, and
 * a byte damaged on the way makes the receiver refuse the blob rather than keep it.
 */
class BlobTransferTest {
    private static final byte[] BODY = TestEngines.bytes(21, 700_000);

    @TempDir
    Path dir;

    private static Engine member(Path at) {
        Engine e = Engine.openMember(TestEngines.config(at).withPieceSize(256 << 10).withSegmentSize(4 << 20));
        GroupMember m = e.member();
        m.connect(entry -> {
            m.apply(m.appliedIndex() + 1, entry);
            return CompletableFuture.completedFuture(null);
        });
        m.readBarrier(() -> { });
        return e;
    }

    /** The header and the bytes a sender streams of blob 9, read in packets of {@code packet} bytes. */
    private static byte[] streamed(Engine sender, int packet, byte[][] header) throws IOException {
        HeldBlob held = sender.member().openBlob(9);
        BlobHeader h = BlobHeader.of(held);
        header[0] = h.encode();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BlobSource source = new BlobSource(held)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(packet);
            long position = 0;
            while (position < h.transferLength()) {
                buf.clear().limit((int) Math.min(packet, h.transferLength() - position));
                while (buf.hasRemaining()) {
                    position += source.read(buf, position);
                }
                byte[] chunk = new byte[buf.flip().remaining()];
                buf.get(chunk);
                out.writeBytes(chunk);
            }
        }
        assertThat(out.size()).isEqualTo(BODY.length + BlobHeader.TRAILER_BYTES);
        return out.toByteArray();
    }

    private static void deliver(Engine receiver, byte[] header, byte[] bytes) throws IOException {
        BytesSink sink = new EngineState(receiver.member(), new GroupTraffic()).receive(header, bytes.length);
        for (int at = 0; at < bytes.length; at += 100_000) {
            sink.write(ByteBuffer.wrap(bytes, at, Math.min(100_000, bytes.length - at)));
        }
        sink.commit();
    }

    private static void hold(Engine e) {
        try (BodyWriter<Void> w = e.member().receiveBlob(9, false, null, 0, BODY.length)) {
            w.write(ByteBuffer.wrap(BODY));
            w.commit(BodyExpectations.NONE);
        }
    }

    @Test
    void theReceiverKeepsTheSendersBytesAndRecords() throws Exception {
        try (Engine sender = member(dir.resolve("s")); Engine receiver = member(dir.resolve("r"))) {
            hold(sender);
            byte[][] header = new byte[1][];
            byte[] bytes = streamed(sender, 1 << 20, header);
            deliver(receiver, header[0], bytes);
            try (HeldBlob s = sender.member().openBlob(9); HeldBlob r = receiver.member().openBlob(9)) {
                assertThat(r.pieceDigests()).isEqualTo(s.pieceDigests());
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (HeldBlob r = receiver.member().openBlob(9)) {
                ByteBuffer b = ByteBuffer.allocate(5000); // smaller than a CRC block
                while (r.read(b.clear()) >= 0) {
                    got.write(b.array(), 0, b.position());
                }
            }
            assertThat(got.toByteArray()).isEqualTo(BODY);
            assertThat(receiver.fsck(true).problems()).isEmpty();
        }
    }

    @Test
    void aByteDamagedOnTheWayMakesTheReceiverRefuseTheBlob() throws Exception {
        try (Engine sender = member(dir.resolve("s")); Engine receiver = member(dir.resolve("r"))) {
            hold(sender);
            byte[][] header = new byte[1][];
            byte[] bytes = streamed(sender, 3000, header);
            bytes[456_789] ^= 0x10;
            assertThatThrownBy(() -> deliver(receiver, header[0], bytes)).isInstanceOf(IOException.class)
                    .hasMessageContaining("CRC32C");
            assertThat(receiver.member().holdsBlob(9)).isFalse();
            assertThat(receiver.member().pendingBlobs()).isZero();
        }
    }
}
