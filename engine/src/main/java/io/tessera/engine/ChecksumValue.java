package io.tessera.engine;


/** A checksum of one body (a part or a single-shot object), base64 of the raw big-endian digest. */
public record ChecksumValue(ChecksumAlgorithm algorithm, String base64) {
}
