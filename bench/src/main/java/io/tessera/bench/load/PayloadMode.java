package io.tessera.bench.load;

import java.util.Locale;

/**
 * How the SDK sends UploadPart bodies in a multipart phase, and which hash floor the node's CPU is
 * held against. All three carry the SDK's default CRC32 checksum as an aws-chunked trailer.
 */
enum PayloadMode {
    /** SDK defaults over plain http: every 128 KiB chunk signed, so the node must SHA-256 every byte. */
    SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", false, HashFloor.Kind.MD5_SHA256),
    /** Unsigned chunks with the CRC32 trailer over plain http: what the SDKs send over HTTPS, minus TLS. */
    UNSIGNED("STREAMING-UNSIGNED-PAYLOAD-TRAILER", false, HashFloor.Kind.MD5_CRC32),
    /** The same unsigned-trailer body over HTTPS, so the difference to {@link #UNSIGNED} is the cost of TLS. */
    TLS("STREAMING-UNSIGNED-PAYLOAD-TRAILER", true, HashFloor.Kind.MD5_CRC32);

    private final String contentSha256;
    private final boolean https;
    private final HashFloor.Kind floor;

    PayloadMode(String contentSha256, boolean https, HashFloor.Kind floor) {
        this.contentSha256 = contentSha256;
        this.https = https;
        this.floor = floor;
    }

    /** The {@code x-amz-content-sha256} an UploadPart in this mode carries. */
    String contentSha256() {
        return contentSha256;
    }

    boolean https() {
        return https;
    }

    /** The floor of the node's CPU per GB in this mode: the hashes it cannot avoid. */
    HashFloor.Kind floor() {
        return floor;
    }

    /** The name on the command line and in the table. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PayloadMode parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
