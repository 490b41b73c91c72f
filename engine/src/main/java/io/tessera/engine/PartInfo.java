package io.tessera.engine;

import java.time.Instant;

/** A committed part of an open upload. {@code checksum} is null when none was computed. */
public record PartInfo(int partNumber, long size, String etag, Instant lastModified, ChecksumValue checksum) {
}
