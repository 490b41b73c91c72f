package io.tessera.engine;

import io.tessera.engine.checksum.Hasher;
import io.tessera.engine.checksum.Hashers;
import java.util.Locale;
import java.util.Objects;

/**
 * The S3 "additional checksum" algorithms Tessera computes while it writes an object's bytes.
 *
 * <p>Only the algorithms and their rules live here; mapping them to and from HTTP headers is the server's job.
 */
public enum ChecksumAlgorithm {
    /** CRC-32 (ISO-HDLC, as zlib and {@link java.util.zip.CRC32}). */
    CRC32(4, true),
    /** CRC-32C (Castagnoli, as {@link java.util.zip.CRC32C}). */
    CRC32C(4, true),
    /** CRC-64/NVME, see {@link Crc64Nvme}. */
    CRC64NVME(8, true),
    /** SHA-1 (FIPS 180-4). */
    SHA1(20, false),
    /** SHA-256 (FIPS 180-4). */
    SHA256(32, false);

    private final int digestLength;
    private final boolean crc;

    ChecksumAlgorithm(int digestLength, boolean crc) {
        this.digestLength = digestLength;
        this.crc = crc;
    }

    /** Returns the length in bytes of a raw digest: 4, 4, 8, 20 and 32 in declaration order. */
    public int digestLength() {
        return digestLength;
    }

    /** Returns whether this is a CRC, whose values over adjacent byte ranges can be combined. */
    public boolean isCrc() {
        return crc;
    }

    /**
     * Returns whether S3 accepts this algorithm with the given multipart checksum type: CRC32 and CRC32C take either,
     * CRC64NVME only {@link ChecksumType#FULL_OBJECT}, SHA1 and SHA256 only {@link ChecksumType#COMPOSITE}.
     */
    public boolean supports(ChecksumType type) {
        Objects.requireNonNull(type, "type");
        switch (this) {
            case CRC32:
            case CRC32C:
                return true;
            case CRC64NVME:
                return type == ChecksumType.FULL_OBJECT;
            default:
                return type == ChecksumType.COMPOSITE;
        }
    }

    /** Returns the type used when a multipart upload names this algorithm but no type: FULL_OBJECT for CRC64NVME. */
    public ChecksumType defaultType() {
        return this == CRC64NVME ? ChecksumType.FULL_OBJECT : ChecksumType.COMPOSITE;
    }

    /** Returns a new hasher for this algorithm, holding the empty input. */
    public Hasher newHasher() {
        return Hashers.of(this);
    }

    /**
     * Returns the algorithm with the given name, ignoring case ({@code "crc32c"}, {@code "CRC64NVME"}).
     *
     * @throws IllegalArgumentException if no algorithm has that name
     * @throws NullPointerException if {@code name} is null
     */
    public static ChecksumAlgorithm fromName(String name) {
        Objects.requireNonNull(name, "name");
        String upper = name.toUpperCase(Locale.ROOT);
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.name().equals(upper)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown checksum algorithm: " + name);
    }
}
