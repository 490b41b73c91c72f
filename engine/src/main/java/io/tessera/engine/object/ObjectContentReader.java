package io.tessera.engine.object;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.FileSlice;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.segment.SegmentHandle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@link ObjectContent} over the extents of an object: each extent is a blob, each blob a list of pieces
 * (records, possibly in several segments), so the content is a sequence of runs of records' bodies.
 * Opening pins every segment involved; bytes are verified in windows of whole CRC blocks just before they
 * are handed out.
 */
final class ObjectContentReader implements ObjectContent {
    /** Bytes verified per step: whole CRC blocks, so no block is read twice. */
    private static final int WINDOW = 4 * RecordFormat.BLOCK_SIZE;

    private final ObjectInfo info;
    private final long firstByte;
    private final long length;
    private final List<Piece> pieces;
    /** Every segment this content holds, released on close. */
    private final List<SegmentHandle> held;
    private boolean closed;

    /** A run of one record's body: {@code [from, from + length)} within the record's body. */
    private record Piece(long blobId, BlobLocation loc, SegmentHandle segment, long from, long length) {
    }

    private ObjectContentReader(ObjectInfo info, long firstByte, long length, List<Piece> pieces,
                                List<SegmentHandle> held) {
        this.info = info;
        this.firstByte = firstByte;
        this.length = length;
        this.pieces = pieces;
        this.held = held;
    }

    /**
     * Pins the segments holding {@code [first, first + length)} of the object, as located in
     * {@code view}, and checks the record headers.
     */
    static ObjectContentReader open(BlobIndex.ReadView view, ObjectInfo info, List<ObjectRecord.Extent> extents,
                                    long first, long length) {
        List<Piece> pieces = new ArrayList<>();
        List<SegmentHandle> held = new ArrayList<>();
        ObjectContentReader reader = new ObjectContentReader(info, first, length, pieces, held);
        try {
            long pos = 0;
            long end = first + length;
            for (ObjectRecord.Extent extent : extents) {
                long from = Math.max(first, pos);
                long to = Math.min(end, pos + extent.size());
                if (from < to) {
                    addPieces(view.pin(extent.blobId()), from - pos, to - pos, pieces, held);
                }
                pos += extent.size();
            }
            return reader;
        } catch (IOException e) {
            reader.close();
            throw corruption(e);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Adds the runs of {@code blob}'s pieces that hold its bytes {@code [from, to)} and keeps their segments;
     * the segments of the pieces outside go back at once.
     */
    private static void addPieces(BlobIndex.PinnedBlob blob, long from, long to, List<Piece> pieces,
                                  List<SegmentHandle> held) throws IOException {
        BlobPieces places = blob.pieces();
        int i = 0;
        try {
            for (; i < places.count(); i++) {
                SegmentHandle segment = blob.segments().get(i);
                BlobLocation loc = places.piece(i);
                long start = places.start(i);
                long runFrom = Math.max(from, start);
                long runTo = Math.min(to, start + loc.bodyLength());
                if (runFrom < runTo) {
                    held.add(segment); // released with the reader, even if the header check fails
                    pieces.add(new Piece(blob.blobId(), loc, segment, runFrom - start, runTo - runFrom));
                    BlobReader.checkHeader(segment.channel(), blob.blobId(), start, loc);
                } else {
                    segment.release();
                }
            }
        } catch (IOException | RuntimeException e) {
            for (int k = i + 1; k < places.count(); k++) {
                blob.segments().get(k).release();
            }
            throw e;
        }
    }

    private static EngineException corruption(IOException e) {
        if (e instanceof BlobReader.CorruptRecordException) {
            return new EngineException(ErrorCode.CORRUPTION, e.getMessage(), e);
        }
        return EngineException.io("reading object data", e);
    }

    @Override
    public ObjectInfo info() {
        return info;
    }

    @Override
    public long firstByte() {
        return firstByte;
    }

    @Override
    public long length() {
        return length;
    }

    /**
     * Reads and verifies the whole blocks from the one holding {@code from} up to a window's worth,
     * stopping at the block that holds the piece's last byte: a range never reads or fails on blocks
     * it does not need.
     */
    private static ByteBuffer verifiedWindow(Piece p, long from, ByteBuffer scratch) {
        long blockStart = from & ~(RecordFormat.BLOCK_SIZE - 1L);
        scratch.clear().limit(windowSize(p, from));
        try {
            BlobReader.readVerified(p.segment().channel(), p.blobId(), p.loc(),
                    blockStart >>> RecordFormat.BLOCK_SHIFT, scratch);
        } catch (IOException e) {
            throw corruption(e);
        }
        return scratch;
    }

    /** Bytes of the window {@link #verifiedWindow} reads for {@code from}: at most {@link #WINDOW}. */
    private static int windowSize(Piece p, long from) {
        long blockMask = RecordFormat.BLOCK_SIZE - 1L;
        long blockStart = from & ~blockMask;
        long neededEnd = Math.min(p.loc().bodyLength(), ((p.from() + p.length() + blockMask) & ~blockMask));
        return (int) (Math.min(neededEnd, blockStart + WINDOW) - blockStart);
    }

    @Override
    public Iterator<FileSlice> slices() {
        return new Iterator<>() {
            // Direct memory goes back only when the collector finds the buffer: allocate what the reads need
            // (a small object's blocks, not a whole window), on first use.
            private ByteBuffer scratch;
            private int index;
            private long done;

            @Override
            public boolean hasNext() {
                while (index < pieces.size() && done >= pieces.get(index).length()) {
                    index++;
                    done = 0;
                }
                return index < pieces.size();
            }

            @Override
            public FileSlice next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Piece p = pieces.get(index);
                long from = p.from() + done;
                long blockStart = from & ~((long) RecordFormat.BLOCK_SIZE - 1);
                int size = windowSize(p, from);
                if (scratch == null || scratch.capacity() < size) {
                    scratch = ByteBuffer.allocateDirect(size);
                }
                verifiedWindow(p, from, scratch);
                long windowEnd = blockStart + scratch.limit();
                long n = Math.min(windowEnd, p.from() + p.length()) - from;
                done += n;
                return new FileSlice(p.segment().channel(), p.loc().bodyOffset() + from, n);
            }
        };
    }

    @Override
    public InputStream stream() {
        return new InputStream() {
            private final ByteBuffer scratch = ByteBuffer.allocate(WINDOW);
            private ByteBuffer current = ByteBuffer.allocate(0);
            private int index;
            private long done;

            private boolean fill() throws IOException {
                while (!current.hasRemaining()) {
                    while (index < pieces.size() && done >= pieces.get(index).length()) {
                        index++;
                        done = 0;
                    }
                    if (index >= pieces.size()) {
                        return false;
                    }
                    Piece p = pieces.get(index);
                    long from = p.from() + done;
                    long blockStart = from & ~((long) RecordFormat.BLOCK_SIZE - 1);
                    ByteBuffer w;
                    try {
                        w = verifiedWindow(p, from, scratch);
                    } catch (EngineException e) {
                        throw new IOException(e.getMessage(), e);
                    }
                    long windowEnd = blockStart + w.limit();
                    long n = Math.min(windowEnd, p.from() + p.length()) - from;
                    current = w.slice((int) (from - blockStart), (int) n);
                    done += n;
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                return fill() ? current.get() & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, current.remaining());
                current.get(b, off, n);
                return n;
            }
        };
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SegmentHandle h : held) {
            h.release();
        }
    }
}
