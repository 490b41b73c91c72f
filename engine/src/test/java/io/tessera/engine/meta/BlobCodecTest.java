package io.tessera.engine.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlobCodecTest {
    /** A row as every engine wrote it before blobs had pieces: version 1, one location, big-endian. */
    @Test
    void aRowWrittenBeforePiecesDecodesAsABlobOfOnePiece() {
        byte[] old = ByteBuffer.allocate(33).put((byte) 1).putLong(7).putLong(4096).putLong(1000).putLong(1096).array();
        BlobPieces blob = BlobCodec.decode(old);
        assertThat(blob.pieces()).containsExactly(new BlobLocation(7, 4096, 1000, 1096));
        assertThat(blob.length()).isEqualTo(1000);
        assertThat(BlobCodec.encode(blob)).as("a one-piece blob is still written that way").isEqualTo(old);
    }

    @Test
    void aBlobOfSeveralPiecesRoundTripsWithItsOffsets() {
        BlobPieces blob = new BlobPieces(List.of(new BlobLocation(3, 4096, 65536, 65688),
                new BlobLocation(9, 8192, 65536, 65688), new BlobLocation(3, 69784, 13, 104)));
        byte[] row = BlobCodec.encode(blob);
        assertThat(row[0]).isEqualTo((byte) 2);
        BlobPieces back = BlobCodec.decode(row);
        assertThat(back).isEqualTo(blob);
        assertThat(back.length()).isEqualTo(2 * 65536 + 13);
        assertThat(back.start(2)).isEqualTo(2 * 65536);
        assertThat(back.indexAt(65536)).isEqualTo(1);
        assertThat(back.indexAt(100)).isEqualTo(-1);
        assertThat(back.recordBytesBySegment()).containsEntry(3L, 65688L + 104).containsEntry(9L, 65688L);
    }
}
