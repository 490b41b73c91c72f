package io.tessera.engine;

/** What one collection cycle did. */
public record GcReport(int segmentsDeleted, int segmentsCompacted, long bytesCopied, long bytesReclaimed) {
}
