package io.tessera.server.xml;

/**
 * The optional additional-checksum elements, written in this order when non-null:
 * {@code ChecksumCRC32}, {@code ChecksumCRC32C}, {@code ChecksumCRC64NVME}, {@code ChecksumSHA1},
 * {@code ChecksumSHA256}. Values are the base64 strings S3 uses (composite values carry their {@code -N} suffix).
 *
 * @param crc32 base64 CRC32, or null
 * @param crc32c base64 CRC32C, or null
 * @param crc64nvme base64 CRC64NVME, or null
 * @param sha1 base64 SHA-1, or null
 * @param sha256 base64 SHA-256, or null
 */
public record Checksums(String crc32, String crc32c, String crc64nvme, String sha1, String sha256) {
    /** No checksum at all. */
    public static final Checksums NONE = new Checksums(null, null, null, null, null);

    /** True when no checksum is set. */
    public boolean isEmpty() {
        return crc32 == null && crc32c == null && crc64nvme == null && sha1 == null && sha256 == null;
    }
}
