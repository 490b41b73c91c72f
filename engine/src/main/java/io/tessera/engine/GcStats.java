package io.tessera.engine;

/** Totals since the engine opened. */
public record GcStats(long cycles, long segmentsDeleted, long segmentsCompacted, long bytesCopied,
                      long bytesReclaimed) {
}
