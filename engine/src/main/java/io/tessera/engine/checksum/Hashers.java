package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

/** The hasher of each S3 checksum algorithm. */
public final class Hashers {
    private Hashers() {
    }

    /** A new hasher for {@code algorithm}, holding the empty input. */
    public static Hasher of(ChecksumAlgorithm algorithm) {
        return switch (algorithm) {
            case CRC32 -> new CrcHasher(new java.util.zip.CRC32(), algorithm.digestLength());
            case CRC32C -> new CrcHasher(new java.util.zip.CRC32C(), algorithm.digestLength());
            case CRC64NVME -> new CrcHasher(new Crc64Nvme(), algorithm.digestLength());
            case SHA1 -> new DigestHasher("SHA-1");
            case SHA256 -> new DigestHasher("SHA-256");
        };
    }
}
