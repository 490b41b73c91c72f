package io.tessera.engine.segment;

import java.util.ArrayDeque;

/**
 * The direct buffers that large bodies collect their pieces in ({@link RecordImage}s of one piece each),
 * reused: allocating and zeroing a few MiB of direct memory per request costs a good part of the
 * request's hashing. A body takes one when it begins and gives it back when it ends. Up to {@code maxIdle} buffers
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

    /**
     * An empty buffer for a body of {@code announcedLength} bytes (-1: unknown), one piece at a time, or null
     * when the bodies being written hold the bound already. A body announced shorter than half a piece gets
     * a buffer of its own length, allocated for it (and left to the collector afterwards): it would use
     * little of a pooled one, and it holds no more memory than it brings.
     */
    public RecordImage take(long announcedLength) {
        boolean own = announcedLength >= 0 && announcedLength < pieceSize / 2;
        int size = own ? RecordImage.capacity((int) announcedLength) : capacity;
        RecordImage image;
        synchronized (this) {
            if (taken + size > maxBytes) {
                return null;
            }
            taken += size;
            image = own ? null : idle.poll();
        }
        if (image != null) {
            return image;
        }
        try {
            return RecordImage.direct(own ? (int) announcedLength : pieceSize);
        } catch (OutOfMemoryError e) { // "Direct buffer memory": the JVM's own bound, below ours
            synchronized (this) {
                taken -= size;
            }
            return null;
        }
    }

    /** Takes a buffer back; it must not be used any more. */
    public void give(RecordImage image) {
        image.reset();
        int size = image.capacity();
        synchronized (this) {
            taken -= size;
            if (size == capacity && idle.size() < maxIdle) {
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
