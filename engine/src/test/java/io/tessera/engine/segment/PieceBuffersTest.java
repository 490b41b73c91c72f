package io.tessera.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PieceBuffersTest {
    private static final int PIECE = 64 << 10;

    @Test
    void buffersPastTheBoundAreRefusedAndThoseGivenBackAreReusedEmpty() {
        PieceBuffers buffers = new PieceBuffers(PIECE, 3L * RecordImage.capacity(PIECE), 1);
        RecordImage first = buffers.take(-1);
        RecordImage second = buffers.take(-1);
        RecordImage third = buffers.take(-1);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(third).isNotNull();
        assertThat(buffers.take(-1)).as("past the bound").isNull();

        second.putSome(ByteBuffer.wrap(new byte[1000]));
        buffers.give(second);
        RecordImage again = buffers.take(-1);
        assertThat(again).as("the buffer given back is reused").isSameAs(second);
        assertThat(again.bodyLength()).isZero();
        assertThat(again.room()).isEqualTo(PIECE);

        buffers.give(first);
        buffers.give(third); // past the one kept idle: left to the collector
        buffers.give(again);
        assertThat(buffers.inUse()).isZero();
        assertThat(buffers.take(-1)).isNotNull();
    }

    @Test
    void aBodyAnnouncedShorterThanHalfAPieceGetsABufferOfItsOwnLength() {
        PieceBuffers buffers = new PieceBuffers(PIECE, 10L * RecordImage.capacity(PIECE), 4);
        RecordImage own = buffers.take(1000);
        assertThat(own.room()).isEqualTo(1000);
        assertThat(buffers.inUse()).isEqualTo(RecordImage.capacity(1000));
        RecordImage pooled = buffers.take(PIECE / 2);
        assertThat(pooled.room()).as("half a piece or more: a pooled one").isEqualTo(PIECE);
        buffers.give(own);
        buffers.give(pooled);
        assertThat(buffers.inUse()).isZero();
        assertThat(buffers.take(-1)).as("only the piece-sized buffer was kept").isSameAs(pooled);
        assertThat(buffers.take(-1)).isNotSameAs(own);
    }
}
