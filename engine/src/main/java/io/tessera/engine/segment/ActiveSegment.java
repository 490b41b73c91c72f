package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A segment that still takes appends. One writer at a time appends (the {@link WriteLane} that owns
 * it); any number of finished writers wait for durability through {@link #syncUpTo}, which is a
 * group commit: one {@code fdatasync} covers every record finished before it started. While a long
 * record streams in, {@link Writeback} flushes what it has written so far in the background, so that
 * the record's own sync at the end only has its tail left to write.
 */
public final class ActiveSegment {
    /** Every data fsync of every segment, for observation. */
    public static final SyncStats SYNCS = new SyncStats();

    private final long id;
    private final Path path;
    private final FileChannel channel;
    private final ReentrantLock syncLock = new ReentrantLock();
    /** End of the last finished record; only the lane owner moves it. */
    private volatile long end;
    private volatile long syncedUpTo;
    /** When the last record was added ({@link System#nanoTime()}), to seal segments left idle. */
    private volatile long lastAppendNanos = System.nanoTime();
    /** Set by a failed fsync: after one, nothing in this file is trusted to become durable. */
    private volatile IOException failure;
    /** A background flush of this segment is queued or running. */
    private final AtomicBoolean writebackQueued = new AtomicBoolean();

    private ActiveSegment(long id, Path path, FileChannel channel, long end) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.end = end;
        this.syncedUpTo = end;
    }

    /** Creates the file with its header and makes it (and its directory entry) durable. */
    public static ActiveSegment create(SegmentIo io, Path dir, long id, long createdAtMillis) throws IOException {
        Path path = SegmentFiles.path(dir, id);
        FileChannel ch = io.create(path);
        try {
            var header = SegmentFiles.header(id, createdAtMillis);
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
            ch.force(true);
            Fsync.directory(dir);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new ActiveSegment(id, path, ch, SegmentFiles.FILE_HEADER_SIZE);
    }

    public long id() {
        return id;
    }

    public Path path() {
        return path;
    }

    FileChannel channel() {
        return channel;
    }

    public long end() {
        return end;
    }

    void advanceTo(long newEnd) {
        end = newEnd;
        lastAppendNanos = System.nanoTime();
    }

    long lastAppendNanos() {
        return lastAppendNanos;
    }

    /** Every byte before this offset is on stable storage. */
    long syncedUpTo() {
        return syncedUpTo;
    }

    /** Cuts off an abandoned record at the tail. Only the lane owner calls this. */
    void truncateTo(long newEnd) throws IOException {
        channel.truncate(newEnd);
        end = newEnd;
    }

    /** Claims the one queued background flush this segment may have; false when one is already queued. */
    boolean claimWriteback() {
        return writebackQueued.compareAndSet(false, true);
    }

    /**
     * The background flush: writes out everything appended so far, including the unfinished record of
     * the lane's writer, so that its final {@link #syncUpTo} finds little left to do. A failure counts
     * as any failed fsync does. A segment closed meanwhile (sealed, retired) needs no flush.
     */
    void writeBack() {
        try {
            syncLock.lock();
            try {
                if (failure != null || !channel.isOpen()) {
                    return;
                }
                long target = end;
                long started = System.nanoTime();
                try {
                    channel.force(false);
                    SYNCS.record(System.nanoTime() - started);
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    failure = e; // the writer's own sync will report it
                    return;
                }
                syncedUpTo = Math.max(syncedUpTo, target);
            } finally {
                syncLock.unlock();
            }
        } finally {
            writebackQueued.set(false);
        }
    }

    /** Returns once every byte before {@code position} is on stable storage. */
    public void syncUpTo(long position) throws IOException {
        if (syncedUpTo >= position) {
            return;
        }
        syncLock.lock();
        try {
            if (syncedUpTo >= position) {
                return; // a sync that started after our record finished covered it
            }
            if (failure != null) {
                throw new IOException("an earlier fsync of segment " + id + " failed", failure);
            }
            long target = end;
            long started = System.nanoTime();
            try {
                channel.force(false);
                SYNCS.record(System.nanoTime() - started);
            } catch (IOException e) {
                // A later fsync may report success although the dirty pages were dropped: never retry.
                failure = e;
                throw e;
            }
            syncedUpTo = target;
        } finally {
            syncLock.unlock();
        }
    }

    /** True once an fsync failed: the segment must take no more appends and must not be sealed as good. */
    public boolean failed() {
        return failure != null;
    }

    public void close() throws IOException {
        channel.close();
    }
}
