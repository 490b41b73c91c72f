package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens segment files for reading, once each, and hands out counted {@link SegmentHandle}s.
 * {@link #retire} removes a segment: the registry drops its own reference and the file is deleted
 * when the last reader lets go.
 *
 * <p>At most {@link #DEFAULT_MAX_OPEN} segments stay open without a reader: past that, the ones read
 * longest ago are closed (and opened again when next read). Otherwise every segment ever read would
 * hold a descriptor until it is retired, and a node with many segments runs out of descriptors ("Too
 * many open files"): with small segments the concurrency stress test got there within minutes.
 *
 * <p>Thread-safe.
 */
public final class SegmentReaders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentReaders.class);
    /** Segments kept open by default while no reader holds them. */
    public static final int DEFAULT_MAX_OPEN = 1024;

    private final Path dir;
    private final int maxOpen;
    private final AtomicBoolean closingIdle = new AtomicBoolean();
    private final ConcurrentHashMap<Long, SegmentHandle> open = new ConcurrentHashMap<>();
    /** Ids of retired segments: never opened again (ids are never reused, so the set only grows). */
    private final Set<Long> retired = ConcurrentHashMap.newKeySet();

    public SegmentReaders(Path dir) {
        this(dir, DEFAULT_MAX_OPEN);
    }

    /** @param maxOpen how many segments may stay open without a reader */
    SegmentReaders(Path dir, int maxOpen) {
        this.dir = dir;
        this.maxOpen = maxOpen;
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
                    if (open.size() > maxOpen) {
                        closeIdle();
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
     * Closes the segments read longest ago among those no reader holds, down to three quarters of the
     * bound, so that this runs once per many opens. A reader that takes such a handle at the same moment
     * either keeps it open until it lets go, or finds it released and opens the file again.
     */
    private void closeIdle() {
        if (!closingIdle.compareAndSet(false, true)) {
            return; // another thread is at it
        }
        try {
            // the times are taken once: readers move them while the list is sorted
            List<Idle> idle = new ArrayList<>();
            for (SegmentHandle h : open.values()) {
                if (h.refCount() == 1) {
                    idle.add(new Idle(h, h.lastUsedNanos()));
                }
            }
            idle.sort(Comparator.comparingLong(Idle::lastUsedNanos));
            int excess = open.size() - maxOpen * 3 / 4;
            for (int i = 0; i < idle.size() && excess > 0; i++) {
                SegmentHandle h = idle.get(i).handle();
                if (open.remove(h.segmentId(), h)) {
                    h.release(); // the registry's own reference
                    excess--;
                }
            }
        } finally {
            closingIdle.set(false);
        }
    }

    private record Idle(SegmentHandle handle, long lastUsedNanos) {
    }

    /** Segments open now, held by a reader or not (for tests). */
    int openCount() {
        return open.size();
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
