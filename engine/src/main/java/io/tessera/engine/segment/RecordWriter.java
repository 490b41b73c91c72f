package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Streams one record of known header into a lane: a compaction copy, whose body (of any length: a record
 * written before blobs had pieces may hold a whole 5 GiB part) goes straight to its place in the segment
 * while its block CRC32Cs are computed. The trailer's MD5 is given, copied from the record being moved,
 * since it covers the blob from its start and not this body alone. The header goes in last, so a record
 * cut short by a crash never has a valid header over a partial body.
 *
 * <p>Life cycle: {@link #write} the whole body, then either {@link #seal()} (the record is complete, the
 * lane is released, the caller syncs) or {@link #abandon()} (the tail is truncated away). The writer holds
 * its lane throughout and waits for nothing but the disk meanwhile.
 *
 * <p>Every append first claims its bytes from the lanes' {@link DiskSpace}. A failed append is cut
 * off at once; when it failed for lack of space the segment is whole again and its lane goes back,
 * after any other I/O error the segment is retired.
 *
 * <p>Not thread-safe.
 */
public final class RecordWriter {
    private final WriteLanes lanes;
    private final RecordHeader header;
    private final byte[] md5;
    private final boolean reclaiming;
    private final CRC32C blockCrc = new CRC32C();
    private int[] blockCrcs = new int[16];
    private int blocks;
    private int blockFill;
    private WriteLane lane;
    private final long start;
    private long written;
    /** {@link #written} when the last background writeback was asked for. */
    private long writebackAt;
    private boolean done;

    /**
     * @param lane       the lane to append to, taken from {@code lanes}; this writer gives it back
     * @param header     the record's header, its body length included
     * @param md5        the trailer's MD5
     * @param reclaiming a compaction copy, which may use half the space kept free for metadata
     */
    public RecordWriter(WriteLanes lanes, WriteLane lane, RecordHeader header, byte[] md5, boolean reclaiming) {
        if (md5.length != RecordFormat.MD5_SIZE) {
            throw new IllegalArgumentException("an MD5 is 16 bytes");
        }
        this.reclaiming = reclaiming;
        this.lanes = lanes;
        this.lane = lane;
        this.start = lane.segment().end();
        this.header = header;
        this.md5 = md5.clone();
    }

    public long written() {
        return written;
    }

    /** Appends the remaining bytes of {@code src}, consuming it; never more than the header announces. */
    public void write(ByteBuffer src) throws IOException {
        if (done) {
            throw new IllegalStateException("record already finished");
        }
        int n = src.remaining();
        if (written + n > header.bodyLength()) {
            throw new IllegalArgumentException("more than the record's " + header.bodyLength() + " body bytes");
        }
        updateBlockCrcs(src.duplicate());
        try {
            lanes.space().claim(n, reclaiming);
            writeFully(lane.segment().channel(), src, start + RecordFormat.HEADER_SIZE + written);
        } catch (IOException e) {
            throw giveUpAfter(e);
        }
        written += n;
        if (written - writebackAt >= Writeback.STEP) {
            writebackAt = written;
            lanes.writeBack(lane.segment());
        }
    }

    private void updateBlockCrcs(ByteBuffer b) {
        while (b.hasRemaining()) {
            int take = Math.min(b.remaining(), RecordFormat.BLOCK_SIZE - blockFill);
            ByteBuffer piece = b.slice(b.position(), take);
            blockCrc.update(piece);
            b.position(b.position() + take);
            blockFill += take;
            if (blockFill == RecordFormat.BLOCK_SIZE) {
                closeBlock();
            }
        }
    }

    private void closeBlock() {
        if (blocks == blockCrcs.length) {
            blockCrcs = Arrays.copyOf(blockCrcs, blocks * 2);
        }
        blockCrcs[blocks++] = (int) blockCrc.getValue();
        blockCrc.reset();
        blockFill = 0;
    }

    /**
     * Writes trailer and header and hands the lane back. The bytes are written but not yet durable:
     * call {@link Sealed#sync()} before publishing the location.
     */
    public Sealed seal() throws IOException {
        if (done) {
            throw new IllegalStateException("record already finished");
        }
        if (written != header.bodyLength()) {
            throw new IllegalStateException("record has " + written + " of its " + header.bodyLength()
                    + " body bytes");
        }
        if (blockFill > 0) {
            closeBlock();
        }
        ActiveSegment seg = lane.segment();
        long recordLength = RecordFormat.recordLength(written);
        try {
            FileChannel ch = seg.channel();
            writeFully(ch, trailer(), start + RecordFormat.HEADER_SIZE + written);
            writeFully(ch, ByteBuffer.wrap(header.encode()), start);
            seg.advanceTo(start + recordLength);
        } catch (IOException e) {
            throw giveUpAfter(e);
        } catch (RuntimeException e) {
            failLane();
            throw e;
        }
        done = true;
        lanes.pin(seg.id()); // before the lane goes back and the segment may be sealed
        lanes.release(lane);
        lane = null;
        return new Sealed(new BlobLocation(seg.id(), start, written, recordLength), seg, lanes);
    }

    private ByteBuffer trailer() {
        int padded = (int) (RecordFormat.recordLength(written) - RecordFormat.HEADER_SIZE - written);
        ByteBuffer t = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        RecordFormat.putTrailer(t, blockCrcs, blocks, md5);
        if (t.position() != RecordFormat.trailerLength(written)) {
            throw new IllegalStateException("trailer length mismatch");
        }
        t.clear();
        return t;
    }

    /** Gives up on the record: the tail it occupied is cut off and the lane goes back. Idempotent. */
    public void abandon() {
        if (done) {
            return;
        }
        done = true;
        if (lane == null) {
            return;
        }
        try {
            lane.segment().truncateTo(start);
            lanes.release(lane);
        } catch (IOException e) {
            failLane();
        }
        lane = null;
    }

    /**
     * Ends the record after a failed append: its tail is cut off, and the lane goes back when the disk
     * was only full (the segment ends at its last record again) or is discarded after any other error.
     * Returns the failure to throw.
     */
    private IOException giveUpAfter(IOException failure) {
        IOException why = lanes.space().explain(failure);
        done = true;
        if (lane == null) {
            return why;
        }
        try {
            lane.segment().truncateTo(start);
            if (why instanceof NoSpaceException || DiskErrors.isNoSpace(why)) {
                lanes.release(lane);
                lane = null;
                return why;
            }
        } catch (IOException e) {
            why.addSuppressed(e);
        }
        lanes.discard(lane);
        lane = null;
        return why;
    }

    private void failLane() {
        done = true;
        if (lane != null) {
            lanes.discard(lane);
            lane = null;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    /**
     * A complete record, written but possibly not yet on stable storage, and not yet committed: its
     * segment is kept from collection until {@link #release()}, which the owner calls exactly once,
     * after its metadata commit succeeded or failed.
     */
    public record Sealed(BlobLocation location, ActiveSegment segment, WriteLanes lanes) {
        /** Returns once the record is durable (group commit with other writers of the segment). */
        public void sync() throws IOException {
            segment.syncUpTo(location.offset() + location.recordLength());
        }

        public void release() {
            lanes.unpin(location.segmentId());
        }
    }
}
