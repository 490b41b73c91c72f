package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Published check values, and the vectors S3's own conformance suite (ceph/s3-tests) asserts. */
class KnownValuesTest {

    private static final byte[] CHECK_INPUT = "123456789".getBytes(US_ASCII);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "CRC32,     cbf43926,                                                         00000000",
        "CRC32C,    e3069283,                                                         00000000",
        "CRC64NVME, ae8b14860a799888,                                                 0000000000000000",
        "SHA1,      f7c3bc1d808e04732adf679965ccc34ca7ae3441,                         "
                + "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "SHA256,    15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225, "
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    })
    void checkValues(ChecksumAlgorithm algorithm, String check, String empty) {
        assertThat(hex(MultipartChecksums.digest(algorithm, CHECK_INPUT))).isEqualTo(check);
        assertThat(hex(MultipartChecksums.digest(algorithm, new byte[0]))).isEqualTo(empty);
    }

    @Test
    void crc64NvmeCheckValueThroughEveryEntryPoint() {
        Crc64Nvme crc = new Crc64Nvme();
        assertThat(crc.getValue()).isZero();
        for (byte b : CHECK_INPUT) {
            crc.update(b);
        }
        assertThat(crc.getValue()).isEqualTo(0xae8b14860a799888L);
        crc.reset();
        crc.update(CHECK_INPUT);
        assertThat(crc.getValue()).isEqualTo(0xae8b14860a799888L);
        assertThat(Reference.crc64Nvme(CHECK_INPUT, 0, CHECK_INPUT.length)).isEqualTo(0xae8b14860a799888L);
    }

    @Test
    void digestResetsTheHasher() {
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            Hasher hasher = algorithm.newHasher();
            hasher.update(CHECK_INPUT, 0, 4);
            hasher.digest();
            hasher.update(CHECK_INPUT, 0, CHECK_INPUT.length);
            assertThat(hasher.digest()).as(algorithm.name())
                    .isEqualTo(MultipartChecksums.digest(algorithm, CHECK_INPUT));
        }
    }

    /**
     * ceph/s3-tests {@code test_multipart_use_cksum_helper_*} and {@code test_multipart_reupload_checksum_and_etag}:
     * three 5 MiB parts of 'A', 'B' and 'C'. Values are base64 of raw digests; the composite ones are printed by
     * S3 with a "-3" suffix, which is the caller's to add.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "CRC32,     JRTCyQ==,     QoZTGg==,     YAgjqw==,     WgDhBQ==",
        "CRC32C,    MDaLrw==,     TH4EZg==,     Z7mBIQ==,     xU+Krw==",
        "CRC64NVME, L/E4WYn8v98=, xW1l19VobYM=, cK5MnNaWrW4=, i+6LR0y3eFo=",
        "SHA1,      iIaTCGbm+vdVjNqIMF2S0T7ibMk=, LS/TJ32bAVKEwRu+sE3X7awh/lk=, 6DDwovUaHwrKNXDMzOGbuvj9kxI=, "
                + "sizjvY4eud3MrcHdZM3cQ/ol39o=",
        "SHA256,    275VF5loJr1YYawit0XSHREhkFXYkkPKGuoK0x9VKxI=, mrHwOfjTL5Zwfj74F05HOQGLdUb7E5szdCbxgUSq6NM=, "
                + "Vw7oB/nKQ5xWb3hNgbyfkvDiivl+U+/Dft48nfJfDow=, uWBwpe1dxI4Vw8Gf0X9ynOdw/SS6VBzfWm9giiv1sf4=",
    })
    void s3TestsThreePartUpload(ChecksumAlgorithm algorithm, String part1, String part2, String part3, String whole) {
        int partSize = 5 * 1024 * 1024;
        List<byte[]> digests = List.of(
                partDigest(algorithm, partSize, 'A'),
                partDigest(algorithm, partSize, 'B'),
                partDigest(algorithm, partSize, 'C'));
        assertThat(digests).extracting(KnownValuesTest::base64).containsExactly(part1, part2, part3);

        List<Long> lengths = List.of((long) partSize, (long) partSize, (long) partSize);
        byte[] combined = algorithm.isCrc()
                ? MultipartChecksums.fullObject(algorithm, digests, lengths)
                : MultipartChecksums.composite(algorithm, digests);
        assertThat(base64(combined)).isEqualTo(whole);
    }

    /** ceph/s3-tests {@code test_multipart_checksum_sha256}: one part of 1024 'A's completes as this value "-1". */
    @Test
    void s3TestsSinglePartComposite() {
        byte[] part = MultipartChecksums.digest(ChecksumAlgorithm.SHA256, filled(1024, 'A'));
        byte[] composite = MultipartChecksums.composite(ChecksumAlgorithm.SHA256, List.of(part));
        assertThat(base64(composite)).isEqualTo("Ok6Cs5b96ux6+MWQkJO7UBT5sKPBeXBLwvj/hK89smg=");
    }

    private static byte[] partDigest(ChecksumAlgorithm algorithm, int size, char fill) {
        return MultipartChecksums.digest(algorithm, filled(size, fill));
    }

    private static byte[] filled(int size, char fill) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) fill);
        return data;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
