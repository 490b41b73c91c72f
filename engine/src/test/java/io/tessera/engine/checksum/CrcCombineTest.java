package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrcCombineTest {

    @Provide
    Arbitrary<ChecksumAlgorithm> crcs() {
        return Arbitraries.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME);
    }

    @Property(tries = 500)
    void combiningTheHalvesGivesTheWhole(@ForAll("crcs") ChecksumAlgorithm algorithm,
            @ForAll @Size(max = 3_000) byte[] data, @ForAll @IntRange(max = 3_000) int cut) {
        int split = Math.min(cut, data.length);
        long crc1 = Reference.crc(algorithm, data, 0, split);
        long crc2 = Reference.crc(algorithm, data, split, data.length - split);
        assertThat(CrcCombine.combine(algorithm, crc1, crc2, data.length - split))
                .isEqualTo(Reference.crc(algorithm, data));
    }

    /** For lengths too large to hash in a test: (A||B)||C and A||(B||C) must agree. */
    @Property(tries = 300)
    void combiningIsAssociativeForHugeLengths(@ForAll("crcs") ChecksumAlgorithm algorithm,
            @ForAll long a, @ForAll long b, @ForAll long c,
            @ForAll @LongRange(max = 1L << 61) long lenB, @ForAll @LongRange(max = 1L << 61) long lenC) {
        long left = CrcCombine.combine(algorithm, CrcCombine.combine(algorithm, a, b, lenB), c, lenC);
        long right = CrcCombine.combine(algorithm, a, CrcCombine.combine(algorithm, b, c, lenC), lenB + lenC);
        assertThat(left).isEqualTo(right);
    }

    /** A part of 5 GiB and a few bytes (past both 2^31 and 2^32), hashed for real. */
    @ParameterizedTest
    @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "CRC64NVME"})
    void fiveGibPart(ChecksumAlgorithm algorithm) {
        byte[] block = new byte[1 << 20];
        new Random(5).nextBytes(block);
        long len2 = 5L * 1024 * 1024 * 1024 + 3;
        byte[] head = "head".getBytes(StandardCharsets.US_ASCII);

        Checksum whole = checksum(algorithm);
        Checksum tail = checksum(algorithm);
        whole.update(head, 0, head.length);
        for (long done = 0; done < len2; done += block.length) {
            int n = (int) Math.min(block.length, len2 - done);
            whole.update(block, 0, n);
            tail.update(block, 0, n);
        }
        long crc1 = Reference.crc(algorithm, head);
        assertThat(CrcCombine.combine(algorithm, crc1, tail.getValue(), len2)).isEqualTo(whole.getValue());
    }

    @ParameterizedTest
    @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "CRC64NVME"})
    void emptySecondPartLeavesTheFirst(ChecksumAlgorithm algorithm) {
        long crc1 = Reference.crc(algorithm, "123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(CrcCombine.combine(algorithm, crc1, 0, 0)).isEqualTo(crc1);
        assertThat(CrcCombine.combine(algorithm, 0, crc1, 9)).isEqualTo(crc1);
    }

    @ParameterizedTest
    @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32", "CRC32C"})
    void thirtyTwoBitCrcsIgnoreHighBits(ChecksumAlgorithm algorithm) {
        byte[] data = "hello, world".getBytes(StandardCharsets.US_ASCII);
        long crc1 = Reference.crc(algorithm, data, 0, 5);
        long crc2 = Reference.crc(algorithm, data, 5, 7);
        // As if the caller had sign-extended an int with its top bit set.
        long high = 0xffffffff00000000L;
        assertThat(CrcCombine.combine(algorithm, crc1 | high, crc2 | high, 7))
                .isEqualTo(Reference.crc(algorithm, data));
    }

    @Test
    void rejectsNonCrcsAndNegativeLengths() {
        assertThatThrownBy(() -> CrcCombine.combine(ChecksumAlgorithm.SHA256, 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CrcCombine.combine(ChecksumAlgorithm.SHA1, 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CrcCombine.combine(ChecksumAlgorithm.CRC32, 1, 2, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Checksum checksum(ChecksumAlgorithm algorithm) {
        switch (algorithm) {
            case CRC32:
                return new CRC32();
            case CRC32C:
                return new CRC32C();
            default:
                // Checked against the bit-at-a-time definition in Crc64NvmeTest; the reference is too slow for 5 GiB.
                return new Crc64Nvme();
        }
    }
}
