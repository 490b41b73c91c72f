package io.tessera.engine.segment;

import java.util.ArrayDeque;

/**
 * The direct buffers that large bodies collect their pieces in ({@link RecordImage}s of one piece each),
 * reused: allocating and zeroing a few MiB of direct memory per request costs more than the request's
 * hashing. A body takes one when it begins and gives it back when it ends. Up to {@code maxIdle} buffers
 * are kept for reuse; past that a returned buffer is left to the garbage collector, so the pool keeps only
 * what a node's usual concurrency needs. The buffers handed out at once are bounded by {@code maxBytes}:
 * past it (or when the JVM has no direct memory left) {@link #take()} answers null and the caller refuses
 * the body, never waits.
 *
 * <p>Thread-safe.
 */
public final class PieceBuffers {
    private final int pieceSize;
    private final int capacity;
    private final long maxBytes;
    private final int maxIdle;
    private final ArrayDeque<RecordImage> idle = new ArrayDeque<>();
    private long taken;

    /**
     * @param pieceSize the body bytes one buffer holds
     * @param maxBytes  the most memory the buffers handed out may take at once
     * @param maxIdle   the most buffers kept for reuse
     */
    public PieceBuffers(int pieceSize, long maxBytes, int maxIdle) {
        this.pieceSize = pieceSize;
        this.capacity = RecordImage.capacity(pieceSize);
        this.maxBytes = maxBytes;
        this.maxIdle = maxIdle;
    }

    public int pieceSize() {
        return pieceSize;
    }

    /** An empty buffer for one piece at a time, or null when the bodies being written hold the bound already. */
    public RecordImage take() {
        RecordImage image;
        synchronized (this) {
            if (taken + capacity > maxBytes) {
                return null;
            }
            taken += capacity;
            image = idle.poll();
        }
        if (image != null) {
            return image;
        }
        try {
            return RecordImage.direct(pieceSize);
        } catch (OutOfMemoryError e) { // "Direct buffer memory": the JVM's own bound, below ours
            synchronized (this) {
                taken -= capacity;
            }
            return null;
        }
    }

    /** Takes a buffer back; it must not be used any more. */
    public void give(RecordImage image) {
        image.reset();
        synchronized (this) {
            taken -= capacity;
            if (idle.size() < maxIdle) {
                idle.push(image); // LIFO: the buffer most likely still in cache goes out next
            }
        }
    }

    /** Bytes of the buffers handed out now. */
    public synchronized long inUse() {
        return taken;
    }

    /** Bytes the bound allows. */
    public long maxBytes() {
        return maxBytes;
    }
}
