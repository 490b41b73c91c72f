package io.tessera.engine.blob;

import io.tessera.engine.segment.SegmentFiles;

/** Space of one segment: file size, bytes of live records, and what is left as garbage. */
public record SegmentSpace(long segmentId, boolean active, long size, long liveBytes) {
    public long deadBytes() {
        return Math.max(0, size - SegmentFiles.FILE_HEADER_SIZE - liveBytes);
    }
}
