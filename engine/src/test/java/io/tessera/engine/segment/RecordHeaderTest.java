package io.tessera.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordHeaderTest {
    private static final byte[] OWNER = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    /** A header as every record had it before blobs had pieces: bytes 44..59 zero. */
    @Test
    void aHeaderWrittenBeforePiecesIsTheFirstPieceOfItsBlob() {
        ByteBuffer b = ByteBuffer.allocate(RecordFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(RecordFormat.RECORD_MAGIC).put((byte) 1).put((byte) 1).put((byte) 18).put((byte) 0)
                .putLong(42).putLong(1000).put(OWNER).putInt(3);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 60);
        b.putInt(60, (int) crc.getValue());
        RecordHeader h = RecordHeader.decode(b.array());
        assertThat(h).isEqualTo(new RecordHeader(RecordKind.PART, 42, 0, 1000, OWNER, 3));
        assertThat(h.encode()).as("a first piece is written as before").isEqualTo(b.array());
    }

    @Test
    void aPieceNamesItsOffsetInTheBlob() {
        RecordHeader h = new RecordHeader(RecordKind.OBJECT, 7, 4L << 20, 65536, null, 0);
        byte[] bytes = h.encode();
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(44)).isEqualTo(4L << 20);
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(52)).isZero();
        assertThat(RecordHeader.decode(bytes)).isEqualTo(h);
        bytes[45] ^= 1;
        assertThat(RecordHeader.decode(bytes)).as("the offset is under the header CRC").isNull();
    }
}
