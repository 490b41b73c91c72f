package io.tessera.engine;

/**
 * What the client claimed about a body, checked when it is committed: the raw 16-byte Content-MD5
 * and/or a checksum value (from a header or a trailer). Either may be null.
 */
public record BodyExpectations(byte[] contentMd5, ChecksumValue checksum) {
    public static final BodyExpectations NONE = new BodyExpectations(null, null);
}
