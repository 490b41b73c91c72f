package io.tessera.engine.segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A whole record built in memory before it is written: a small body collected whole, or one piece of a
 * large body. The body goes in as it arrives ({@link #put}, {@link #putSome}) and its block CRC32Cs are
 * computed while it is hot in cache; {@link #seal} adds the trailer and the header, in exactly the layout
 * {@link RecordWriter} streams ({@link RecordFormat}), so readers, GC, fsck and recovery cannot tell them
 * apart. It is then appended in two positional writes, body and trailer first, header last
 * ({@link SharedSegment}, {@link LaneAppender}). The MD5 is the caller's: for a piece it covers the blob
 * from its start, not the piece alone.
 *
 * <p>The buffer is on the heap for a small body and direct for pieces, which {@link PieceBuffers} reuses
 * through {@link #reset()}.
 *
 * <p>Not thread-safe.
 */
public final class RecordImage {
    private final ByteBuffer bytes;
    private final int maxBody;
    private final CRC32C blockCrc = new CRC32C();
    private final int[] blockCrcs;
    private int blocks;
    private int blockFill;
    private int bodyLength;
    private RecordHeader header;

    /** Room for a body of at most {@code maxBody} bytes, on the heap. */
    public RecordImage(int maxBody) {
        this(ByteBuffer.allocate(capacity(maxBody)), maxBody);
    }

    private RecordImage(ByteBuffer bytes, int maxBody) {
        this.bytes = bytes.order(ByteOrder.LITTLE_ENDIAN);
        this.maxBody = maxBody;
        this.blockCrcs = new int[(int) RecordFormat.blockCount(maxBody)];
    }

    /** Room for a body of at most {@code maxBody} bytes, in direct memory (written without a copy). */
    static RecordImage direct(int maxBody) {
        return new RecordImage(ByteBuffer.allocateDirect(capacity(maxBody)), maxBody);
    }

    /** Bytes a record of a {@code maxBody} body takes. */
    static int capacity(int maxBody) {
        return Math.toIntExact(RecordFormat.recordLength(maxBody));
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** The bytes this image's buffer takes. */
    int capacity() {
        return bytes.capacity();
    }

    /** Body bytes that still fit. */
    public int room() {
        return maxBody - bodyLength;
    }

    /** Copies all remaining bytes of {@code src} after the body so far; false, consuming nothing, if they do not fit. */
    public boolean put(ByteBuffer src) {
        if (src.remaining() > room()) {
            return false;
        }
        putSome(src);
        return true;
    }

    /** Copies as many remaining bytes of {@code src} as fit, consuming them; returns how many. */
    public int putSome(ByteBuffer src) {
        if (header != null) {
            throw new IllegalStateException("record already sealed");
        }
        int n = Math.min(src.remaining(), room());
        int at = RecordFormat.HEADER_SIZE + bodyLength;
        bytes.put(at, src, src.position(), n);
        src.position(src.position() + n);
        crcBlocks(at, n);
        bodyLength += n;
        return n;
    }

    private void crcBlocks(int at, int n) {
        while (n > 0) {
            int take = Math.min(n, RecordFormat.BLOCK_SIZE - blockFill);
            blockCrc.update(bytes.slice(at, take));
            at += take;
            n -= take;
            blockFill += take;
            if (blockFill == RecordFormat.BLOCK_SIZE) {
                closeBlock();
            }
        }
    }

    private void closeBlock() {
        blockCrcs[blocks++] = (int) blockCrc.getValue();
        blockCrc.reset();
        blockFill = 0;
    }

    /**
     * Writes trailer and header around the finished body. {@code header} names the record and must give the
     * body's length; {@code md5} goes into the trailer.
     */
    public void seal(RecordHeader header, byte[] md5) {
        if (header.bodyLength() != bodyLength) {
            throw new IllegalArgumentException("header says " + header.bodyLength() + " body bytes, the image holds "
                    + bodyLength);
        }
        if (blockFill > 0) {
            closeBlock();
        }
        ByteBuffer t = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        t.position(RecordFormat.HEADER_SIZE + bodyLength);
        RecordFormat.putTrailer(t, blockCrcs, blocks, md5);
        while (t.position() < recordLength()) {
            t.put((byte) 0); // the padding: a reused buffer may hold an earlier body there
        }
        this.header = header;
        bytes.put(0, header.encode());
    }

    /** The length of the whole record (header, body, trailer, padding). */
    public int recordLength() {
        return (int) RecordFormat.recordLength(bodyLength);
    }

    /** Body, trailer and padding, to be written at the record's offset + {@link RecordFormat#HEADER_SIZE}. */
    ByteBuffer afterHeader() {
        requireSealed();
        return bytes.duplicate().limit(recordLength()).position(RecordFormat.HEADER_SIZE);
    }

    /** The header, written last: a record cut short never carries a valid header over a partial body. */
    ByteBuffer header() {
        requireSealed();
        return bytes.duplicate().limit(RecordFormat.HEADER_SIZE).position(0);
    }

    /** Empties the image for the next record. */
    public void reset() {
        bodyLength = 0;
        blocks = 0;
        blockFill = 0;
        blockCrc.reset();
        header = null;
    }

    private void requireSealed() {
        if (header == null) {
            throw new IllegalStateException("record not sealed");
        }
    }
}
