package io.tessera.engine.segment;

/**
 * Where a blob's record lies: the segment, the record's start offset, the body length and the whole
 * record length (header, body, trailer and padding). Compaction moves a blob by giving it a new
 * location; its blob id never changes.
 */
public record BlobLocation(long segmentId, long offset, long bodyLength, long recordLength) {
    /** File offset of the first body byte. */
    public long bodyOffset() {
        return offset + RecordFormat.HEADER_SIZE;
    }
}
