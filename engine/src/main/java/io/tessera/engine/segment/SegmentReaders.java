package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens segment files for reading, once each, and hands out counted {@link SegmentHandle}s.
 * {@link #retire} removes a segment: the registry drops its own reference and the file is deleted
 * when the last reader lets go.
 *
 * <p>Thread-safe.
 */
public final class SegmentReaders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentReaders.class);
    private final Path dir;
    private final ConcurrentHashMap<Long, SegmentHandle> open = new ConcurrentHashMap<>();
    /** Ids of retired segments: never opened again (ids are never reused, so the set only grows). */
    private final Set<Long> retired = ConcurrentHashMap.newKeySet();

    public SegmentReaders(Path dir) {
        this.dir = dir;
    }

    /** A retained handle; the caller must {@link SegmentHandle#release()} it. */
    public SegmentHandle acquire(long segmentId) throws IOException {
        while (true) {
            if (retired.contains(segmentId)) {
                throw new NoSuchFileException(SegmentFiles.path(dir, segmentId).toString(), null, "segment retired");
            }
            SegmentHandle h = open.get(segmentId);
            if (h == null) {
                FileChannel ch = FileChannel.open(SegmentFiles.path(dir, segmentId), StandardOpenOption.READ);
                SegmentHandle fresh = new SegmentHandle(segmentId, ch);
                h = open.putIfAbsent(segmentId, fresh);
                if (h == null) {
                    h = fresh;
                    if (retired.contains(segmentId) && open.remove(segmentId, fresh)) {
                        // retire() ran between our open and our registration and saw no handle:
                        // this one must not outlive it, or the deleted file's space stays held
                        fresh.release();
                        continue;
                    }
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

    /**
     * Forgets the segment for good: later {@link #acquire} calls fail, and its file is deleted once
     * no reader holds it any more. Its row must already be gone (a crash before the deletion leaves
     * an orphan file, which recovery deletes).
     */
    public void retire(long segmentId) {
        retired.add(segmentId);
        Runnable delete = () -> deleteFile(segmentId);
        SegmentHandle h = open.remove(segmentId);
        if (h == null) {
            delete.run();
            return;
        }
        h.onLastRelease(delete);
        h.release();
    }

    private void deleteFile(long segmentId) {
        Path path = SegmentFiles.path(dir, segmentId);
        try {
            Files.deleteIfExists(path);
            Fsync.directory(dir);
        } catch (IOException e) {
            LOG.warn("cannot delete retired segment file {} ({}); the next start deletes it", path, e.toString());
        }
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
