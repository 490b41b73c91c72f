package io.tessera.engine;

/** One part of a completed multipart object, as needed for {@code partNumber} reads. */
public record ObjectPart(int partNumber, long size, String etag, ChecksumValue checksum) {
}
