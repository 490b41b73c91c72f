package io.tessera.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.testkit.TestEngines;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a member streams of a blob it holds ({@link HeldBlob#read}, {@link HeldBlob#pieceDigests}) and how
 * another member takes it: with the sender's digests it writes the same trailers without hashing the bytes
 * again when it cuts the blob at the same places, and hashes them itself when it does not.
 */
class HeldBlobStreamTest {
    private static final int PIECE = 64 << 10;
    private static final byte[] BODY = TestEngines.bytes(11, 300_000); // five pieces of 64 KiB

    @TempDir
    Path dir;

    private static Engine member(Path at, int pieceSize) {
        Engine e = Engine.openMember(TestEngines.config(at).withPieceSize(pieceSize).withSegmentSize(1 << 20));
        GroupMember m = e.member();
        m.connect(entry -> {
            m.apply(m.appliedIndex() + 1, entry);
            return CompletableFuture.completedFuture(null);
        });
        m.readBarrier(() -> { });
        return e;
    }

    private static void receive(Engine e, long blobId, byte[] body, PieceDigests digests) {
        try (BodyWriter<Void> w = e.member().receiveBlob(blobId, false, null, 0, body.length, digests)) {
            w.write(ByteBuffer.wrap(body));
            w.commit(BodyExpectations.NONE);
        }
    }

    private static byte[] md5(byte[] b, int length) throws Exception {
        return MessageDigest.getInstance("MD5").digest(Arrays.copyOf(b, length));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, RecordFormat.BLOCK_SIZE, 1 << 20, 300_001})
    void readGivesEveryByteInOrderWhateverTheDestinationsSize(int dstSize) {
        try (Engine e = member(dir.resolve("m"), PIECE)) {
            receive(e, 5, BODY, null);
            try (HeldBlob held = e.member().openBlob(5)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteBuffer dst = ByteBuffer.allocateDirect(dstSize);
                int n;
                while ((n = held.read(dst.clear())) >= 0) {
                    assertThat(n).isPositive();
                    byte[] chunk = new byte[n];
                    dst.flip().get(chunk);
                    out.writeBytes(chunk);
                }
                assertThat(out.toByteArray()).isEqualTo(BODY);
            }
        }
    }

    @Test
    void digestsNameEachRecordsEndAndTheMd5OfTheBytesUpToIt() throws Exception {
        try (Engine e = member(dir.resolve("m"), PIECE)) {
            receive(e, 5, BODY, null);
            try (HeldBlob held = e.member().openBlob(5)) {
                PieceDigests d = held.pieceDigests();
                assertThat(d.ends()).containsExactly(PIECE, 2L * PIECE, 3L * PIECE, 4L * PIECE, BODY.length);
                for (int i = 0; i < d.count(); i++) {
                    assertThat(d.md5(i)).isEqualTo(md5(BODY, (int) d.end(i)));
                }
                assertThat(d.cutEvery(PIECE)).isTrue();
                assertThat(d.cutEvery(PIECE / 2)).isFalse();
            }
        }
    }

    @Test
    void aReceiverThatCutsLikeTheSenderWritesTheGivenTrailersAndOneThatDoesNotHashesItself() throws Exception {
        try (Engine sender = member(dir.resolve("s"), PIECE);
             Engine same = member(dir.resolve("same"), PIECE);
             Engine other = member(dir.resolve("other"), PIECE / 2)) {
            receive(sender, 5, BODY, null);
            PieceDigests sent;
            try (HeldBlob held = sender.member().openBlob(5)) {
                sent = held.pieceDigests();
            }
            // digests that do not match the bytes show which receiver took them as given: that one did not hash
            byte[][] marked = sent.md5s();
            marked[0][0] ^= 1;
            PieceDigests given = new PieceDigests(sent.ends(), marked);
            receive(same, 5, BODY, given);
            receive(other, 5, BODY, given);
            try (HeldBlob s = same.member().openBlob(5); HeldBlob o = other.member().openBlob(5)) {
                assertThat(s.pieceDigests()).isEqualTo(given);
                PieceDigests own = o.pieceDigests();
                assertThat(own.count()).isEqualTo(10);
                for (int i = 0; i < own.count(); i++) {
                    assertThat(own.md5(i)).isEqualTo(md5(BODY, (int) own.end(i)));
                }
            }
        }
    }
}
