package io.tessera.engine.blob;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.HeldBlob;
import io.tessera.engine.PieceDigests;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.segment.RecordHeader;
import io.tessera.engine.segment.RecordKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link HeldBlob} over a pinned blob: the owner comes from its first record's header (records describe
 * themselves), the bytes are read piece by piece in windows of whole CRC blocks, each verified before it
 * is written out.
 *
 * <p>Not thread-safe.
 */
final class HeldBlobReader implements HeldBlob {
    private static final int WINDOW = 4 * RecordFormat.BLOCK_SIZE;

    private final BlobIndex.PinnedBlob pinned;
    private final RecordHeader first;
    private boolean closed;
    /** Where {@link #read} goes on: the piece, and the offset in its body (a block boundary). */
    private int readPiece;
    private long readFrom;
    /** A verified block read for a destination too small to take it whole, not yet all handed out. */
    private ByteBuffer readAhead;

    private HeldBlobReader(BlobIndex.PinnedBlob pinned, RecordHeader first) {
        this.pinned = pinned;
        this.first = first;
    }

    /** Takes over {@code pinned} (released on close, or here if its first header is not the blob's). */
    static HeldBlobReader open(BlobIndex.PinnedBlob pinned) {
        try {
            BlobPieces pieces = pinned.pieces();
            for (int i = 0; i < pieces.count(); i++) {
                BlobReader.checkHeader(pinned.segments().get(i).channel(), pinned.blobId(), pieces.start(i),
                        pieces.piece(i));
            }
            ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER_SIZE);
            FileChannel ch = pinned.segments().get(0).channel();
            long at = pieces.piece(0).offset();
            while (header.hasRemaining()) {
                if (ch.read(header, at + header.position()) < 0) {
                    throw new BlobReader.CorruptRecordException("segment ends inside the header of blob "
                            + pinned.blobId());
                }
            }
            return new HeldBlobReader(pinned, RecordHeader.decode(header.array()));
        } catch (IOException e) {
            pinned.release();
            throw failure(e);
        } catch (RuntimeException e) {
            pinned.release();
            throw e;
        }
    }

    @Override
    public long blobId() {
        return pinned.blobId();
    }

    @Override
    public long length() {
        return pinned.pieces().length();
    }

    @Override
    public boolean part() {
        return first.kind() == RecordKind.PART;
    }

    @Override
    public byte[] uploadId() {
        return part() ? first.owner().clone() : null;
    }

    @Override
    public int partNumber() {
        return first.partNumber();
    }

    @Override
    public void transferTo(WritableByteChannel out) {
        ByteBuffer window = ByteBuffer.allocateDirect(WINDOW);
        BlobPieces pieces = pinned.pieces();
        try {
            for (int i = 0; i < pieces.count(); i++) {
                FileChannel ch = pinned.segments().get(i).channel();
                BlobLocation loc = pieces.piece(i);
                for (long from = 0; from < loc.bodyLength(); from += WINDOW) {
                    window.clear().limit((int) Math.min(WINDOW, loc.bodyLength() - from));
                    BlobReader.readVerified(ch, pinned.blobId(), loc, from >>> RecordFormat.BLOCK_SHIFT, window);
                    writeAll(window, out);
                }
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public int read(ByteBuffer dst) {
        if (readAhead != null && readAhead.hasRemaining()) {
            return handOut(readAhead, dst);
        }
        BlobPieces pieces = pinned.pieces();
        while (readPiece < pieces.count() && readFrom == pieces.piece(readPiece).bodyLength()) {
            readPiece++;
            readFrom = 0;
        }
        if (readPiece == pieces.count()) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        BlobLocation loc = pieces.piece(readPiece);
        FileChannel ch = pinned.segments().get(readPiece).channel();
        long left = loc.bodyLength() - readFrom;
        long firstBlock = readFrom >>> RecordFormat.BLOCK_SHIFT;
        try {
            if (left <= dst.remaining() || dst.remaining() >= RecordFormat.BLOCK_SIZE) {
                // whole blocks (or the piece's rest) straight into dst: no copy, and the next read starts on a block
                int n = left <= dst.remaining() ? (int) left : dst.remaining() & -RecordFormat.BLOCK_SIZE;
                BlobReader.readVerified(ch, pinned.blobId(), loc, firstBlock, dst.slice(dst.position(), n));
                dst.position(dst.position() + n);
                readFrom += n;
                return n;
            }
            if (readAhead == null) {
                readAhead = ByteBuffer.allocateDirect(RecordFormat.BLOCK_SIZE);
            }
            readAhead.clear().limit((int) Math.min(RecordFormat.BLOCK_SIZE, left));
            BlobReader.readVerified(ch, pinned.blobId(), loc, firstBlock, readAhead);
            readFrom += readAhead.limit();
            return handOut(readAhead, dst);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static int handOut(ByteBuffer from, ByteBuffer dst) {
        int n = Math.min(from.remaining(), dst.remaining());
        dst.put(dst.position(), from, from.position(), n).position(dst.position() + n);
        from.position(from.position() + n);
        return n;
    }

    @Override
    public PieceDigests pieceDigests() {
        BlobPieces pieces = pinned.pieces();
        long[] ends = new long[pieces.count()];
        byte[][] md5s = new byte[pieces.count()][];
        try {
            for (int i = 0; i < pieces.count(); i++) {
                ends[i] = pieces.start(i) + pieces.piece(i).bodyLength();
                md5s[i] = BlobReader.trailerMd5(pinned.segments().get(i).channel(), pieces.piece(i));
            }
        } catch (IOException e) {
            throw failure(e);
        }
        return new PieceDigests(ends, md5s);
    }

    private void writeAll(ByteBuffer window, WritableByteChannel out) {
        try {
            while (window.hasRemaining()) {
                out.write(window);
            }
        } catch (IOException e) {
            throw EngineException.io("sending blob " + pinned.blobId(), e);
        }
    }

    private static EngineException failure(IOException e) {
        if (e instanceof BlobReader.CorruptRecordException) {
            return new EngineException(ErrorCode.CORRUPTION, e.getMessage(), e);
        }
        return EngineException.io("reading a held blob", e);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pinned.release();
        }
    }
}
