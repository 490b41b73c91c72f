package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HasherTest {

    @Property(tries = 300)
    void bufferUpdatesEqualArrayUpdates(@ForAll ChecksumAlgorithm algorithm,
            @ForAll @Size(max = 10_000) byte[] data, @ForAll @IntRange(max = 15) int pad) {
        byte[] expected = MultipartChecksums.digest(algorithm, data);
        for (ByteBuffer buffer : Buffers.variants(data, pad)) {
            Hasher hasher = algorithm.newHasher();
            int limit = buffer.limit();
            hasher.update(buffer);
            assertThat(buffer.position()).isEqualTo(limit);
            assertThat(buffer.limit()).isEqualTo(limit);
            assertThat(hasher.digest()).as("%s over %s", algorithm, buffer).isEqualTo(expected);
        }
    }

    @Property(tries = 200)
    void chunkedUpdatesEqualOneUpdate(@ForAll ChecksumAlgorithm algorithm, @ForAll @Size(max = 10_000) byte[] data,
            @ForAll @Size(max = 6) List<@IntRange(max = 3_000) Integer> cuts, @ForAll boolean direct) {
        Hasher hasher = algorithm.newHasher();
        ByteBuffer all = direct ? ByteBuffer.allocateDirect(data.length).put(data).flip() : ByteBuffer.wrap(data);
        for (int cut : cuts) {
            int len = Math.min(cut, all.remaining());
            if (cut % 2 == 0) {
                hasher.update(all.slice().limit(len));
            } else {
                byte[] chunk = new byte[len];
                all.duplicate().get(chunk);
                hasher.update(chunk, 0, len);
            }
            all.position(all.position() + len);
        }
        hasher.update(all);
        assertThat(hasher.digest()).isEqualTo(MultipartChecksums.digest(algorithm, data));
    }

    @Property(tries = 100)
    void crcDigestsAreTheBigEndianValue(@ForAll("crcs") ChecksumAlgorithm algorithm,
            @ForAll @Size(max = 5_000) byte[] data) {
        long value = Reference.crc(algorithm, data);
        byte[] digest = MultipartChecksums.digest(algorithm, data);
        assertThat(BigEndian.toLong(digest)).isEqualTo(value);
        assertThat(digest[0]).isEqualTo((byte) (value >>> (8 * digest.length - 8)));
    }

    @Provide
    Arbitrary<ChecksumAlgorithm> crcs() {
        return Arbitraries.of(
                ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME);
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void rejectsRangesOutsideTheArray(ChecksumAlgorithm algorithm) {
        Hasher hasher = algorithm.newHasher();
        assertThatThrownBy(() -> hasher.update(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> hasher.update(new byte[4], 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
