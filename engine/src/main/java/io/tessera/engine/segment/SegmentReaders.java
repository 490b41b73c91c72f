package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens segment files for reading, once each, and hands out counted {@link SegmentHandle}s.
 * {@link #retire} removes a segment: the registry drops its own reference and the given action
 * (deleting the file) runs when the last reader lets go.
 *
 * <p>Thread-safe.
 */
public final class SegmentReaders implements AutoCloseable {
    private final Path dir;
    private final ConcurrentHashMap<Long, SegmentHandle> open = new ConcurrentHashMap<>();

    public SegmentReaders(Path dir) {
        this.dir = dir;
    }

    /** A retained handle; the caller must {@link SegmentHandle#release()} it. */
    public SegmentHandle acquire(long segmentId) throws IOException {
        while (true) {
            SegmentHandle h = open.get(segmentId);
            if (h == null) {
                FileChannel ch = FileChannel.open(SegmentFiles.path(dir, segmentId), StandardOpenOption.READ);
                SegmentHandle fresh = new SegmentHandle(segmentId, ch);
                h = open.putIfAbsent(segmentId, fresh);
                if (h == null) {
                    h = fresh;
                } else {
                    ch.close();
                }
            }
            if (h.tryRetain()) {
                return h;
            }
            open.remove(segmentId, h); // raced with a retire: look again
        }
    }

    /** Forgets the segment; {@code afterLastReader} runs once no reader holds it any more. */
    public void retire(long segmentId, Runnable afterLastReader) {
        SegmentHandle h = open.remove(segmentId);
        if (h == null) {
            afterLastReader.run();
            return;
        }
        h.onLastRelease(afterLastReader);
        h.release();
    }

    @Override
    public void close() {
        for (Long id : open.keySet()) {
            SegmentHandle h = open.remove(id);
            if (h != null) {
                h.release();
            }
        }
    }
}
