package io.tessera.engine;

/** One entry of a CompleteMultipartUpload part list. {@code checksum} is null when not sent. */
public record CompletedPart(int partNumber, String etag, ChecksumValue checksum) {
}
