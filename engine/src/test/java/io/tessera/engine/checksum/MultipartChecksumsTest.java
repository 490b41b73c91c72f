package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MultipartChecksumsTest {

    @Provide
    Arbitrary<ChecksumAlgorithm> crcs() {
        return Arbitraries.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME);
    }

    @Property(tries = 300)
    void fullObjectEqualsTheCrcOfTheWhole(@ForAll("crcs") ChecksumAlgorithm algorithm,
            @ForAll @Size(max = 8_000) byte[] data,
            @ForAll @Size(max = 12) List<@IntRange(max = 2_000) Integer> cuts) {
        List<byte[]> digests = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        int pos = 0;
        for (int cut : cuts) {
            int len = Math.min(cut, data.length - pos);
            digests.add(MultipartChecksums.digest(algorithm, Arrays.copyOfRange(data, pos, pos + len)));
            lengths.add((long) len);
            pos += len;
        }
        digests.add(MultipartChecksums.digest(algorithm, Arrays.copyOfRange(data, pos, data.length)));
        lengths.add((long) (data.length - pos));

        byte[] whole = MultipartChecksums.fullObject(algorithm, digests, lengths);
        assertThat(whole).isEqualTo(MultipartChecksums.digest(algorithm, data));
        assertThat(BigEndian.toLong(whole)).isEqualTo(Reference.crc(algorithm, data));
    }

    @Test
    void fullObjectOfNoPartsIsTheEmptyCrc() {
        assertThat(MultipartChecksums.fullObject(ChecksumAlgorithm.CRC64NVME, List.of(), List.of()))
                .isEqualTo(new byte[8]);
    }

    @Property(tries = 100)
    void compositeSha256IsTheSha256OfTheConcatenatedDigests(
            @ForAll @Size(min = 1, max = 20) List<@Size(min = 32, max = 32) byte[]> parts) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            sha256.update(part);
        }
        assertThat(MultipartChecksums.composite(ChecksumAlgorithm.SHA256, parts)).isEqualTo(sha256.digest());
    }

    @Test
    void compositeOfKnownPartDigests() throws NoSuchAlgorithmException {
        // Part digests are SHA-256 of "part1", "part2", "part3"; the expected value is computed independently.
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        List<byte[]> parts = new ArrayList<>();
        for (String body : List.of("part1", "part2", "part3")) {
            parts.add(sha256.digest(body.getBytes(StandardCharsets.US_ASCII)));
        }
        byte[] concatenated = new byte[96];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(parts.get(i), 0, concatenated, 32 * i, 32);
        }
        assertThat(MultipartChecksums.composite(ChecksumAlgorithm.SHA256, parts))
                .isEqualTo(sha256.digest(concatenated));
    }

    @Test
    void compositeCrc32IsTheCrcOfTheConcatenatedCrcs() {
        byte[] a = MultipartChecksums.digest(ChecksumAlgorithm.CRC32, new byte[] {1, 2, 3});
        byte[] b = MultipartChecksums.digest(ChecksumAlgorithm.CRC32, new byte[] {4, 5});
        byte[] both = new byte[8];
        System.arraycopy(a, 0, both, 0, 4);
        System.arraycopy(b, 0, both, 4, 4);
        assertThat(MultipartChecksums.composite(ChecksumAlgorithm.CRC32, List.of(a, b)))
                .isEqualTo(MultipartChecksums.digest(ChecksumAlgorithm.CRC32, both));
    }

    @Test
    void rejectsTypesTheAlgorithmDoesNotHave() {
        byte[] crc64 = new byte[8];
        byte[] sha1 = new byte[20];
        assertThatThrownBy(() -> MultipartChecksums.composite(ChecksumAlgorithm.CRC64NVME, List.of(crc64)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartChecksums.fullObject(ChecksumAlgorithm.SHA1, List.of(sha1), List.of(1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartChecksums.fullObject(
                ChecksumAlgorithm.SHA256, List.of(new byte[32]), List.of(1L)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMalformedParts() {
        assertThatThrownBy(() -> MultipartChecksums.composite(ChecksumAlgorithm.SHA256, List.of(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartChecksums.fullObject(
                ChecksumAlgorithm.CRC32, List.of(new byte[8]), List.of(1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartChecksums.fullObject(
                ChecksumAlgorithm.CRC32, List.of(new byte[4], new byte[4]), List.of(1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartChecksums.fullObject(
                ChecksumAlgorithm.CRC32C, List.of(new byte[4]), List.of(-1L)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
