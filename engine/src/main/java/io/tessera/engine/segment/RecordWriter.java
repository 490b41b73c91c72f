package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Writes one record into a lane: the body streams straight to its place in the segment while MD5,
 * the per-block CRC32Cs and any extra digest are computed in the same pass. The header goes in last,
 * so a record cut short by a crash never has a valid header over a partial body.
 *
 * <p>Life cycle: {@link #write} any number of times, then {@link #digest()} to learn the MD5, then
 * either {@link #seal()} (the record is complete, the lane is released, the caller syncs) or
 * {@link #abandon()} (the tail is truncated away).
 *
 * <p>Every append first claims its bytes from the lanes' {@link DiskSpace}. A failed append is cut
 * off at once; when it failed for lack of space the segment is whole again and its lane goes back,
 * after any other I/O error the segment is retired.
 *
 * <p>Not thread-safe.
 */
public final class RecordWriter {
    private final WriteLanes lanes;
    private final RecordHeader headerTemplate;
    private final Consumer<ByteBuffer> extraHasher;
    private final long maxBodyLength;
    private final boolean reclaiming;
    private final MessageDigest md5;
    private final CRC32C blockCrc = new CRC32C();
    private int[] blockCrcs = new int[16];
    private int blocks;
    private int blockFill;
    private WriteLane lane;
    private long start;
    private long written;
    /** {@link #written} when the last background writeback was asked for. */
    private long writebackAt;
    private byte[] md5Digest;
    private boolean done;

    /**
     * @param lane        the lane to append to, taken from {@code lanes}; this writer gives it back
     * @param extraHasher fed every body buffer (a duplicate), or null
     */
    public RecordWriter(WriteLanes lanes, WriteLane lane, RecordKind kind, long blobId, byte[] owner, int partNumber,
                        long maxBodyLength, Consumer<ByteBuffer> extraHasher) {
        this(lanes, lane, kind, blobId, owner, partNumber, maxBodyLength, extraHasher, false);
    }

    /** @param reclaiming a compaction copy, which may use half the space kept free for metadata */
    public RecordWriter(WriteLanes lanes, WriteLane lane, RecordKind kind, long blobId, byte[] owner, int partNumber,
                        long maxBodyLength, Consumer<ByteBuffer> extraHasher, boolean reclaiming) {
        this.reclaiming = reclaiming;
        this.lanes = lanes;
        this.lane = lane;
        this.start = lane.segment().end();
        this.headerTemplate = new RecordHeader(kind, blobId, 0, owner, partNumber);
        this.extraHasher = extraHasher;
        this.maxBodyLength = maxBodyLength;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public long written() {
        return written;
    }

    /** Refuses at once unless {@code bytes} more would fit on the disk now (a body's announced length). */
    public void requireRoom(long bytes) throws NoSpaceException {
        lanes.space().requireRoom(bytes, reclaiming);
    }

    /** Appends the remaining bytes of {@code src}, consuming it. */
    public void write(ByteBuffer src) throws IOException, BodyTooLargeException {
        if (done || md5Digest != null) {
            throw new IllegalStateException("record already finished");
        }
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        if (written + n > maxBodyLength) {
            throw new BodyTooLargeException(written + n);
        }
        md5.update(src.duplicate());
        if (extraHasher != null) {
            extraHasher.accept(src.duplicate());
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

    /** Ends the body and returns its MD5. No more writes after this. */
    public byte[] digest() {
        if (md5Digest == null) {
            md5Digest = md5.digest();
            if (blockFill > 0) {
                closeBlock();
            }
        }
        return md5Digest.clone();
    }

    /**
     * Writes trailer and header and hands the lane back. The bytes are written but not yet durable:
     * call {@link Sealed#sync()} before publishing the location.
     */
    public Sealed seal() throws IOException {
        digest();
        if (done) {
            throw new IllegalStateException("record already abandoned");
        }
        ActiveSegment seg = lane.segment();
        long recordLength = RecordFormat.recordLength(written);
        try {
            FileChannel ch = seg.channel();
            writeFully(ch, trailer(), start + RecordFormat.HEADER_SIZE + written);
            RecordHeader header = new RecordHeader(headerTemplate.kind(), headerTemplate.blobId(), written,
                    headerTemplate.owner(), headerTemplate.partNumber());
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
        long trailerLen = RecordFormat.trailerLength(written);
        int padded = (int) (RecordFormat.recordLength(written) - RecordFormat.HEADER_SIZE - written);
        ByteBuffer t = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < blocks; i++) {
            t.putInt(blockCrcs[i]);
        }
        t.put(md5Digest);
        t.putInt(RecordFormat.TRAILER_MAGIC);
        CRC32C crc = new CRC32C();
        crc.update(t.array(), 0, t.position());
        t.putInt((int) crc.getValue());
        if (t.position() != trailerLen) {
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

    /** The body passed the configured maximum. */
    public static final class BodyTooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        public BodyTooLargeException(long length) {
            super("body of " + length + " bytes exceeds the maximum");
        }
    }
}
