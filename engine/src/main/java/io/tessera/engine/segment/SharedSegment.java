package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active segment that small bodies share, for group commit: a writer appends its whole record
 * (built in memory, {@link RecordImage}) under a short lock, then waits for durability through
 * {@link ActiveSegment#syncUpTo}, where whoever runs the fdatasync covers every record appended before
 * it started. So concurrent small writes cost one fsync together instead of one per write lane, and
 * need no write lane at all: a small body never waits behind large uploads.
 *
 * <p>The segment is an ordinary segment of {@link WriteLanes} (its row, its place among the active
 * segments, its sealing), held by a lane outside the pool: records are pinned before the lock is
 * released, so GC leaves them alone until their commit; the segment is sealed when it passes the size
 * limit, when an append to it fails, when it is idle ({@link #sealIdle}) and on close.
 *
 * <p>The file is kept {@link #ZERO_AHEAD} bytes of written zeros ahead of its last record: an
 * fdatasync after an append that grows the file must also write the inode (its size), which on this
 * project's disk doubled its time (~175 against ~87 µs, and ~65 against ~38 µs of CPU, for 4 KiB); over
 * zeros already written it writes the data alone. Recovery cuts the zeros like any torn tail (they are
 * no valid header), and sealing cuts them off.
 *
 * <p>Thread-safe.
 */
public final class SharedSegment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSegment.class);
    /** How far ahead of the last record the file holds written zeros. */
    static final int ZERO_AHEAD = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();

    private final WriteLanes lanes;
    private final long segmentLimit;
    private final WriteLane lane = new WriteLane();
    private final ReentrantLock appendLock = new ReentrantLock();
    /** The segment {@link #zeroedTo} belongs to (guarded by the append lock, as the lane). */
    private ActiveSegment zeroed;
    /** Where the written zeros after the current segment's last record end. */
    private long zeroedTo;
    private boolean closed;

    /** @param segmentLimit the segment is sealed once it grows past this */
    public SharedSegment(WriteLanes lanes, long segmentLimit) {
        this.lanes = lanes;
        this.segmentLimit = segmentLimit;
    }

    /**
     * Appends a sealed record. The bytes are written but not yet durable: the caller syncs the result,
     * publishes the location and then releases it (the record stays pinned until then).
     */
    public RecordWriter.Sealed append(RecordImage image) throws IOException {
        int length = image.recordLength();
        ActiveSegment full = null;
        RecordWriter.Sealed sealed;
        appendLock.lock();
        try {
            if (closed) {
                throw new IOException("segment store is closed");
            }
            lanes.space().claim(length, false);
            lanes.attachSegment(lane);
            ActiveSegment seg = lane.segment();
            long start = seg.end();
            zeroAhead(seg, start + length);
            try {
                FileChannel ch = seg.channel();
                writeFully(ch, image.afterHeader(), start + RecordFormat.HEADER_SIZE);
                writeFully(ch, image.header(), start);
            } catch (IOException e) {
                throw giveUpAfter(seg, start, e);
            }
            seg.advanceTo(start + length);
            lanes.pin(seg.id()); // before the segment can be sealed, and so collected
            sealed = new RecordWriter.Sealed(new BlobLocation(seg.id(), start, image.bodyLength(), length), seg, lanes);
            if (seg.end() >= segmentLimit) {
                full = detach();
            }
        } finally {
            appendLock.unlock();
        }
        if (full != null) {
            seal(full); // its fsync covers this record too; appends go on in a new segment meanwhile
        }
        return sealed;
    }

    /**
     * Makes sure the file holds written zeros up to {@code end} and beyond, writing {@link #ZERO_AHEAD}
     * more when it does not. Failing to (a disk nearly full) only costs the appends their speed.
     */
    private void zeroAhead(ActiveSegment seg, long end) {
        if (zeroed != seg) {
            zeroed = seg;
            zeroedTo = seg.end();
        }
        if (end <= zeroedTo) {
            return;
        }
        long from = Math.max(zeroedTo, seg.end());
        long to = end + ZERO_AHEAD;
        try {
            lanes.space().claim(to - from, false); // zeros take the disk as records do (their records claim again)
            FileChannel ch = seg.channel();
            for (long pos = from; pos < to; ) {
                ByteBuffer z = ZEROS.duplicate();
                z.limit((int) Math.min(z.capacity(), to - pos));
                pos += ch.write(z, pos);
            }
            zeroedTo = to;
        } catch (IOException e) {
            LOG.debug("segment {}: cannot write zeros ahead of its tail ({}); appends grow it", seg.id(), e.toString());
            cutZeros(seg);
            zeroedTo = seg.end();
        }
    }

    /** Cuts the zeros after the last record off (after a failure, or before sealing: by its only owner). */
    private static void cutZeros(ActiveSegment seg) {
        try {
            seg.truncateTo(seg.end());
        } catch (IOException e) {
            LOG.debug("segment {}: cannot cut the zeros after its last record", seg.id(), e);
        }
    }

    /**
     * A failed append is cut off. A full disk leaves the segment whole and in use; after any other error
     * it is sealed at its last record (every record before is still synced by that seal, and its writers
     * see a failed fsync themselves). Returns the failure to throw.
     */
    private IOException giveUpAfter(ActiveSegment seg, long start, IOException failure) {
        IOException why = lanes.space().explain(failure);
        try {
            seg.truncateTo(start);
            zeroedTo = start;
            if (why instanceof NoSpaceException || DiskErrors.isNoSpace(why)) {
                return why;
            }
        } catch (IOException e) {
            why.addSuppressed(e);
        }
        seal(detach());
        return why;
    }

    /** Takes the segment away from the lane (under the lock), so that it can be sealed outside it. */
    private ActiveSegment detach() {
        ActiveSegment seg = lane.segment();
        lane.segment(null);
        zeroed = null;
        return seg;
    }

    /** Seals a segment taken away from the lane: no append can reach it any more. */
    private void seal(ActiveSegment seg) {
        cutZeros(seg);
        WriteLane holder = new WriteLane();
        holder.segment(seg);
        lanes.sealSegment(holder);
    }

    /**
     * Seals the segment if it holds a record and took no append for {@code idleFor} (ZERO: whenever it
     * holds one), so that collection can reach its dead records; the next append starts a new one.
     */
    public void sealIdle(Duration idleFor) {
        ActiveSegment idle = null;
        long now = System.nanoTime();
        appendLock.lock();
        try {
            ActiveSegment seg = lane.segment();
            if (seg != null && seg.end() > SegmentFiles.FILE_HEADER_SIZE
                    && now - seg.lastAppendNanos() >= idleFor.toNanos()) {
                idle = detach();
            }
        } finally {
            appendLock.unlock();
        }
        if (idle != null) {
            seal(idle);
        }
    }

    /** Takes no more appends and seals the segment. */
    @Override
    public void close() {
        ActiveSegment seg;
        appendLock.lock();
        try {
            closed = true;
            seg = detach();
        } finally {
            appendLock.unlock();
        }
        if (seg != null) {
            seal(seg);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}
