package io.tessera.engine.gc;

/** What one collection cycle did. */
public record GcReport(int segmentsDeleted, int segmentsCompacted, long bytesCopied, long bytesReclaimed) {
}
