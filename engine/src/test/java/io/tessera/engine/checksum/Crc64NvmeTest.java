package io.tessera.engine.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link Crc64Nvme}'s fast paths (slicing, three-lane blocks, buffers) against the bit-at-a-time definition. */
class Crc64NvmeTest {

    @Property(tries = 300)
    void anyChunkingMatchesTheDefinition(@ForAll @Size(max = 12_000) byte[] data,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 4_000) Integer> cuts) {
        Crc64Nvme crc = new Crc64Nvme();
        int pos = 0;
        for (int cut : cuts) {
            int len = Math.min(cut, data.length - pos);
            crc.update(data, pos, len);
            pos += len;
        }
        crc.update(data, pos, data.length - pos);
        assertThat(crc.getValue()).isEqualTo(Reference.crc64Nvme(data, 0, data.length));
    }

    /** Every length around the lane block sizes (3 x 128 and 3 x 1024 bytes), at unaligned offsets too. */
    @Test
    void lengthsAroundBlockBoundaries() {
        byte[] data = new byte[2 * 3 * 1024 + 64];
        new Random(42).nextBytes(data);
        int[] pivots = {0, 8, 3 * 128, 2 * 3 * 128, 3 * 1024, 3 * 1024 + 3 * 128, 2 * 3 * 1024};
        for (int pivot : pivots) {
            for (int len = Math.max(0, pivot - 9); len <= pivot + 9; len++) {
                for (int off : new int[] {0, 1, 7, 13}) {
                    long expected = Reference.crc64Nvme(data, off, len);
                    Crc64Nvme crc = new Crc64Nvme();
                    crc.update(data, off, len);
                    assertThat(crc.getValue()).as("off %d len %d", off, len).isEqualTo(expected);
                    crc.reset();
                    ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
                    direct.put(data).position(off).limit(off + len);
                    crc.update(direct);
                    assertThat(crc.getValue()).as("direct off %d len %d", off, len).isEqualTo(expected);
                }
            }
        }
    }

    @Property(tries = 200)
    void buffersMatchArrays(@ForAll @Size(max = 10_000) byte[] data, @ForAll @IntRange(max = 15) int pad) {
        long expected = Reference.crc64Nvme(data, 0, data.length);
        for (ByteBuffer buffer : Buffers.variants(data, pad)) {
            Crc64Nvme crc = new Crc64Nvme();
            crc.update(buffer);
            assertThat(buffer.remaining()).isZero();
            assertThat(crc.getValue()).as(buffer.toString()).isEqualTo(expected);
        }
    }

    @Test
    void rejectsRangesOutsideTheArray() {
        Crc64Nvme crc = new Crc64Nvme();
        assertThatThrownBy(() -> crc.update(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> crc.update(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(crc.getValue()).isZero();
    }
}
