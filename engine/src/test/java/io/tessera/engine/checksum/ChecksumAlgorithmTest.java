package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumType;

import io.tessera.engine.ChecksumAlgorithm;

import static io.tessera.engine.ChecksumAlgorithm.CRC32;
import static io.tessera.engine.ChecksumAlgorithm.CRC32C;
import static io.tessera.engine.ChecksumAlgorithm.CRC64NVME;
import static io.tessera.engine.ChecksumAlgorithm.SHA1;
import static io.tessera.engine.ChecksumAlgorithm.SHA256;
import static io.tessera.engine.ChecksumType.COMPOSITE;
import static io.tessera.engine.ChecksumType.FULL_OBJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChecksumAlgorithmTest {

    @Test
    void digestLengths() {
        assertThat(CRC32.digestLength()).isEqualTo(4);
        assertThat(CRC32C.digestLength()).isEqualTo(4);
        assertThat(CRC64NVME.digestLength()).isEqualTo(8);
        assertThat(SHA1.digestLength()).isEqualTo(20);
        assertThat(SHA256.digestLength()).isEqualTo(32);
    }

    @Test
    void crcs() {
        assertThat(CRC32.isCrc()).isTrue();
        assertThat(CRC32C.isCrc()).isTrue();
        assertThat(CRC64NVME.isCrc()).isTrue();
        assertThat(SHA1.isCrc()).isFalse();
        assertThat(SHA256.isCrc()).isFalse();
    }

    @Test
    void supportedTypesFollowS3() {
        assertThat(CRC32.supports(COMPOSITE)).isTrue();
        assertThat(CRC32.supports(FULL_OBJECT)).isTrue();
        assertThat(CRC32C.supports(COMPOSITE)).isTrue();
        assertThat(CRC32C.supports(FULL_OBJECT)).isTrue();
        assertThat(CRC64NVME.supports(COMPOSITE)).isFalse();
        assertThat(CRC64NVME.supports(FULL_OBJECT)).isTrue();
        assertThat(SHA1.supports(COMPOSITE)).isTrue();
        assertThat(SHA1.supports(FULL_OBJECT)).isFalse();
        assertThat(SHA256.supports(COMPOSITE)).isTrue();
        assertThat(SHA256.supports(FULL_OBJECT)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void defaultTypeIsSupported(ChecksumAlgorithm algorithm) {
        assertThat(algorithm.supports(algorithm.defaultType())).isTrue();
        assertThat(algorithm.defaultType()).isEqualTo(algorithm == CRC64NVME ? FULL_OBJECT : COMPOSITE);
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void fromNameIgnoresCase(ChecksumAlgorithm algorithm) {
        assertThat(ChecksumAlgorithm.fromName(algorithm.name())).isSameAs(algorithm);
        assertThat(ChecksumAlgorithm.fromName(algorithm.name().toLowerCase(Locale.ROOT))).isSameAs(algorithm);
        assertThat(ChecksumAlgorithm.fromName("crc32c")).isSameAs(CRC32C);
        assertThat(ChecksumAlgorithm.fromName("Crc64Nvme")).isSameAs(CRC64NVME);
    }

    @Test
    void fromNameRejectsUnknownNames() {
        assertThatThrownBy(() -> ChecksumAlgorithm.fromName("MD5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChecksumAlgorithm.fromName("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChecksumAlgorithm.fromName("SHA-256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChecksumAlgorithm.fromName(" CRC32")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromNameIsNotFooledByTheDefaultLocale() {
        // Turkish upper-cases "i" to a dotted capital I; names must not depend on the JVM's locale.
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));
            assertThat(ChecksumType.fromName("composite")).isSameAs(COMPOSITE);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void typeFromName() {
        assertThat(ChecksumType.fromName("COMPOSITE")).isSameAs(COMPOSITE);
        assertThat(ChecksumType.fromName("full_object")).isSameAs(FULL_OBJECT);
        assertThatThrownBy(() -> ChecksumType.fromName("FULL-OBJECT")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void newHasherGivesDigestsOfTheRightLength(ChecksumAlgorithm algorithm) {
        assertThat(algorithm.newHasher().digest()).hasSize(algorithm.digestLength());
    }
}
