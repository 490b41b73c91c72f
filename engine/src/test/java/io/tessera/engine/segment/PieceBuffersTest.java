package io.tessera.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PieceBuffersTest {
    private static final int PIECE = 64 << 10;

    @Test
    void buffersPastTheBoundAreRefusedAndThoseGivenBackAreReusedEmpty() {
        PieceBuffers buffers = new PieceBuffers(PIECE, 3L * RecordImage.capacity(PIECE), 1);
        RecordImage first = buffers.take();
        RecordImage second = buffers.take();
        RecordImage third = buffers.take();
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(third).isNotNull();
        assertThat(buffers.take()).as("past the bound").isNull();

        second.putSome(ByteBuffer.wrap(new byte[1000]));
        buffers.give(second);
        RecordImage again = buffers.take();
        assertThat(again).as("the buffer given back is reused").isSameAs(second);
        assertThat(again.bodyLength()).isZero();
        assertThat(again.room()).isEqualTo(PIECE);

        buffers.give(first);
        buffers.give(third); // past the one kept idle: left to the collector
        buffers.give(again);
        assertThat(buffers.inUse()).isZero();
        assertThat(buffers.take()).isNotNull();
    }
}
