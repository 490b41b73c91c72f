package io.tessera.engine.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * What segment writes may still take of the data directory's file system. They leave a reserve free:
 * the metadata store must find room to commit the deletes that free space, to flush, and to resume
 * after it ran out (RocksDB waits for one write buffer of room), or a node full of segments could not
 * be emptied again. Compaction copies, which give back more than they take, may use half the reserve;
 * segments are therefore kept to half the reserve ({@link #segmentLimit}), so that a full disk can
 * always compact any one of them.
 *
 * <p>Writers claim the bytes they are about to write. Claims are counted against the usable space last
 * read from the file system ({@code statvfs}), which is read again when a claim would not fit and after
 * every {@link #RECHECK_BYTES} claimed, so space freed by collection, and space taken by anything else,
 * is seen soon. The file system's own ENOSPC stays possible (another process may fill the disk), and
 * the write path handles it the same way.
 *
 * <p>Thread-safe.
 */
public final class DiskSpace {
    /** Claims between two looks at the file system. */
    static final long RECHECK_BYTES = 16L << 20;
    /** The reserve when none is configured: a tenth of the file system, at least this. */
    public static final long MIN_DEFAULT_RESERVE = 8L << 20;
    /** The smallest segment limit, however small the reserve. */
    static final long MIN_SEGMENT_LIMIT = 1L << 20;
    /** A write that failed with this little room left failed for lack of space, whatever its message. */
    private static final long NEARLY_FULL = 1L << 20;

    private final LongSupplier usableSpace;
    private final long reserve;
    private long usable;
    private long claimed;
    private boolean stale;
    private boolean shortage;

    /**
     * @param usableSpace the bytes the file system can still give this process
     * @param reserve     bytes that segment writes leave free
     */
    public DiskSpace(LongSupplier usableSpace, long reserve) {
        this.usableSpace = usableSpace;
        this.reserve = reserve;
        this.usable = usableSpace.getAsLong();
    }

    /**
     * The space of the file system holding {@code dir}.
     *
     * @param reserve     bytes to leave free; negative: a tenth of the file system, at least
     *                    {@link #MIN_DEFAULT_RESERVE} and at most twice {@code segmentSize}
     * @param segmentSize the configured segment limit
     * @param io          what tells the file system's size and free space
     */
    public static DiskSpace of(Path dir, long reserve, long segmentSize, SegmentIo io) {
        try {
            long r = reserve >= 0 ? reserve
                    : Math.max(MIN_DEFAULT_RESERVE, Math.min(2 * segmentSize, io.totalSpace(dir) / 10));
            return new DiskSpace(() -> usableSpace(io, dir), r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at the file system of " + dir, e);
        }
    }

    private static long usableSpace(SegmentIo io, Path dir) {
        try {
            return io.usableSpace(dir);
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: let writes meet the file system's own answer
        }
    }

    public long reserve() {
        return reserve;
    }

    /** {@code configured}, or half the reserve if that is less: what compaction can copy on a full disk. */
    public long segmentLimit(long configured) {
        return Math.min(configured, Math.max(MIN_SEGMENT_LIMIT, reserve / 2));
    }

    /** Whether a write was refused, or met a full disk, since the last call (a collection then hurries). */
    public synchronized boolean takeShortage() {
        boolean was = shortage;
        shortage = false;
        return was;
    }

    /** Refuses, without claiming, unless {@code bytes} fit now (a body's announced length, before it streams). */
    public synchronized void requireRoom(long bytes, boolean reclaiming) throws NoSpaceException {
        if (stale || !fits(bytes, reclaiming)) {
            look();
            if (!fits(bytes, reclaiming)) {
                throw refusal(bytes, reclaiming);
            }
        }
    }

    /** True if {@code bytes} fit now (compaction asks before it copies a segment's live records). */
    public synchronized boolean hasRoom(long bytes, boolean reclaiming) {
        if (stale || !fits(bytes, reclaiming)) {
            look();
        }
        return fits(bytes, reclaiming);
    }

    /** Takes {@code bytes} that are about to be written, or refuses. */
    public synchronized void claim(long bytes, boolean reclaiming) throws NoSpaceException {
        if (stale || claimed + bytes > RECHECK_BYTES || !fits(bytes, reclaiming)) {
            look();
            if (!fits(bytes, reclaiming)) {
                throw refusal(bytes, reclaiming);
            }
        }
        claimed += bytes;
    }

    /**
     * The failure of a write, as a {@link NoSpaceException} when the file system is out of space: its
     * message may not say so (it is the C library's, in the process's language), the free space does.
     */
    public IOException explain(IOException failure) {
        if (failure instanceof NoSpaceException) {
            return failure;
        }
        if (DiskErrors.isNoSpace(failure)) {
            markStale();
            return failure;
        }
        long now = usableSpace.getAsLong();
        if (now < NEARLY_FULL) {
            markStale();
            return new NoSpaceException(mib(now) + " usable after a write failed", failure);
        }
        return failure;
    }

    /** The file system filled up behind our back: the next claim looks again before it answers. */
    private synchronized void markStale() {
        stale = true;
        shortage = true;
    }

    private boolean fits(long bytes, boolean reclaiming) {
        return usable - claimed - bytes >= (reclaiming ? reserve / 2 : reserve);
    }

    private void look() {
        usable = usableSpace.getAsLong();
        claimed = 0;
        stale = false;
    }

    private NoSpaceException refusal(long bytes, boolean reclaiming) {
        shortage = true;
        return new NoSpaceException((bytes > 0 ? mib(bytes) + " to write, " : "") + mib(usable - claimed)
                + " usable and " + mib(reclaiming ? reserve / 2 : reserve) + " kept free for metadata");
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
