package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A segment that still takes appends. One writer at a time appends (the {@link WriteLane} that owns
 * it); any number of finished writers wait for durability through {@link #syncUpTo}, which is a
 * group commit: one {@code fdatasync} covers every record finished before it started.
 */
public final class ActiveSegment {
    private final long id;
    private final Path path;
    private final FileChannel channel;
    private final ReentrantLock syncLock = new ReentrantLock();
    /** End of the last finished record; only the lane owner moves it. */
    private volatile long end;
    private volatile long syncedUpTo;

    private ActiveSegment(long id, Path path, FileChannel channel, long end) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.end = end;
        this.syncedUpTo = end;
    }

    /** Creates the file with its header and makes it (and its directory entry) durable. */
    public static ActiveSegment create(Path dir, long id, long createdAtMillis) throws IOException {
        Path path = SegmentFiles.path(dir, id);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
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
    }

    /** Cuts off an abandoned record at the tail. Only the lane owner calls this. */
    void truncateTo(long newEnd) throws IOException {
        channel.truncate(newEnd);
        end = newEnd;
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
            long target = end;
            channel.force(false);
            syncedUpTo = target;
        } finally {
            syncLock.unlock();
        }
    }

    public void close() throws IOException {
        channel.close();
    }
}
