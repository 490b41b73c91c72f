package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;

/**
 * Appends whole records built in memory (the pieces of large bodies, {@link RecordImage}) through a write
 * lane that it holds only for the append: take a lane, claim the bytes from the {@link DiskSpace}, write
 * body and trailer in one positional write and then the header, pin the record, give the lane back. So a
 * body whose client is silent holds memory (its piece buffer) but no lane, and the lane count is no cap on
 * the uploads in progress.
 *
 * <p>A free lane is taken at once; when all are busy the append waits for one at most the lane wait, then
 * fails with {@link WriteLanes.LanesBusyException}. That wait cannot deadlock, on any thread (an engine I/O
 * thread included): a lane is held only by a thread writing a record at that moment (a piece append here,
 * a compaction copy), and such a thread waits for nothing but the disk: never for a lane, for a lock a
 * waiting writer holds, or for a task queued behind it. Every lane comes back within one append's time.
 *
 * <p>A failed append is cut off at once: after ENOSPC the segment is whole again and its lane goes back,
 * after any other I/O error the lane's segment is retired.
 *
 * <p>Thread-safe.
 */
public final class LaneAppender {
    private final WriteLanes lanes;
    private final Duration laneWait;

    /** @param laneWait how long an append may wait for a free lane */
    public LaneAppender(WriteLanes lanes, Duration laneWait) {
        this.lanes = lanes;
        this.laneWait = laneWait;
    }

    public DiskSpace space() {
        return lanes.space();
    }

    /**
     * Appends a sealed record. The bytes are written but not yet durable: the caller syncs the result before
     * publishing its location and releases it after its commit (the record stays pinned until then, so
     * collection leaves its segment alone).
     *
     * @param moreToCome the body goes on after this record: its segment is flushed in the background
     *                   meanwhile, so that the final sync finds little left to write
     */
    public RecordWriter.Sealed append(RecordImage image, boolean moreToCome) throws IOException {
        WriteLane lane = lanes.acquire(laneWait);
        ActiveSegment seg = lane.segment();
        long start = seg.end();
        int length = image.recordLength();
        try {
            lanes.space().claim(length, false);
            FileChannel ch = seg.channel();
            writeFully(ch, image.afterHeader(), start + RecordFormat.HEADER_SIZE);
            writeFully(ch, image.header(), start);
        } catch (IOException e) {
            throw giveUpAfter(lane, start, e);
        } catch (RuntimeException e) {
            lanes.discard(lane);
            throw e;
        }
        seg.advanceTo(start + length);
        lanes.pin(seg.id()); // before the lane goes back and the segment may be sealed, and so collected
        if (moreToCome) {
            lanes.writeBack(seg);
        }
        lanes.release(lane);
        return new RecordWriter.Sealed(new BlobLocation(seg.id(), start, image.bodyLength(), length), seg, lanes);
    }

    /**
     * Ends an append that failed: its tail is cut off, and the lane goes back when the disk was only full
     * (the segment ends at its last record again) or is discarded after any other error. Returns the
     * failure to throw.
     */
    private IOException giveUpAfter(WriteLane lane, long start, IOException failure) {
        IOException why = lanes.space().explain(failure);
        try {
            lane.segment().truncateTo(start);
            if (why instanceof NoSpaceException || DiskErrors.isNoSpace(why)) {
                lanes.release(lane);
                return why;
            }
        } catch (IOException e) {
            why.addSuppressed(e);
        }
        lanes.discard(lane);
        return why;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}
