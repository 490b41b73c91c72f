package io.tessera.engine;


/** Space of one segment: file size, bytes of live records, and what is left as garbage. */
public record SegmentSpace(long segmentId, boolean active, long size, long liveBytes) {
    /** The segment file's own header, neither live nor dead. */
    public static final long HEADER_SIZE = 4096;

    public long deadBytes() {
        return Math.max(0, size - HEADER_SIZE - liveBytes);
    }
}
