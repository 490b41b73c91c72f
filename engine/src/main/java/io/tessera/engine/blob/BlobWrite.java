package io.tessera.engine.blob;

import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.PieceDigests;
import io.tessera.engine.checksum.Hasher;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.LaneAppender;
import io.tessera.engine.segment.PieceBuffers;
import io.tessera.engine.segment.RecordHeader;
import io.tessera.engine.segment.RecordImage;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.WriteLanes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A large body, written as the pieces of one blob. The body is collected in a piece buffer (direct memory
 * from {@link PieceBuffers}) and hashed as it comes: MD5 and the optional S3 checksum over the whole body,
 * the block CRC32Cs per piece. Each time the buffer is full and more bytes arrive, the piece is appended as
 * one record through a write lane held only for that append ({@link LaneAppender}), and collecting goes on
 * in the same buffer. So a body whose client is silent holds its buffer, never a lane.
 *
 * <p>{@link #persist()} appends the last piece and makes every piece durable (one sync per segment
 * touched, group-committed with the segment's other writers); the caller then commits the blob row. Until
 * then every appended piece is pinned ({@code WriteLanes}' pending records), so collection leaves its
 * segment alone; {@link #abandon()} and {@link #close()} unpin them, and pieces no row points at are
 * garbage like any abandoned record.
 *
 * <p>Not thread-safe: one request owns it (its calls may come from different threads, one at a time).
 */
public final class BlobWrite implements PendingBlob {
    private final LaneAppender appender;
    private final PieceBuffers buffers;
    private final long blobId;
    private final RecordKind kind;
    private final byte[] owner;
    private final int partNumber;
    private final long announcedLength;
    private final long maxBodyLength;
    private final ChecksumAlgorithm checksumAlgorithm;
    private final Hasher hasher;
    private final MessageDigest md5;
    /** The trailers another member's copy holds, when this write cuts the blob at the same places: not hashed again. */
    private final PieceDigests given;
    /** The pieces appended so far, pinned until the write ends. */
    private final List<RecordWriter.Sealed> pieces = new ArrayList<>();
    /** The piece being collected; null once the write ended or its buffer went back. */
    private RecordImage image;
    /** Where the piece being collected starts in the blob. */
    private long pieceStart;
    private long written;
    private byte[] md5Digest;
    private byte[] checksum;
    private boolean persisted;

    /**
     * @param image           the buffer to collect pieces in, taken from {@code buffers}; this write gives it back
     * @param announcedLength the body's length as announced (-1: unknown): no byte past it is taken
     */
    BlobWrite(LaneAppender appender, PieceBuffers buffers, RecordImage image, long blobId, RecordKind kind,
              byte[] owner, int partNumber, long announcedLength, long maxBodyLength,
              ChecksumAlgorithm checksumAlgorithm, PieceDigests given) {
        this.appender = appender;
        this.buffers = buffers;
        this.image = image;
        this.blobId = blobId;
        this.kind = kind;
        this.owner = owner;
        this.partNumber = partNumber;
        this.announcedLength = announcedLength;
        this.maxBodyLength = maxBodyLength;
        this.checksumAlgorithm = checksumAlgorithm;
        this.hasher = checksumAlgorithm == null ? null : checksumAlgorithm.newHasher();
        this.given = given;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long blobId() {
        return blobId;
    }

    @Override
    public long written() {
        return written;
    }

    /** Refuses with STORAGE_FULL, before any byte is read, a body of {@code length} bytes the disk cannot take. */
    @Override
    public void requireRoom(long length) {
        try {
            appender.space().requireRoom(length, false);
        } catch (IOException e) {
            throw EngineException.io("blob " + blobId + " of " + length + " bytes", e);
        }
    }

    @Override
    public void write(ByteBuffer src) {
        if (image == null || md5Digest != null) {
            throw new IllegalStateException("blob " + blobId + " is no longer being written");
        }
        if (written + src.remaining() > maxBodyLength) {
            abandon();
            throw new EngineException(ErrorCode.ENTITY_TOO_LARGE, "body of " + (written + src.remaining())
                    + " bytes exceeds the maximum of " + maxBodyLength);
        }
        if (announcedLength >= 0 && written + src.remaining() > announcedLength) {
            abandon(); // as the body checks would at its end, before a piece of it is appended in vain
            throw new EngineException(ErrorCode.INVALID_REQUEST, "received more than the " + announcedLength
                    + " announced bytes");
        }
        while (src.hasRemaining()) {
            if (image.room() == 0) {
                appendPiece(trailerOf(pieces.size()), true);
            }
            int n = Math.min(src.remaining(), image.room());
            ByteBuffer chunk = src.slice(src.position(), n);
            if (given == null) {
                md5.update(chunk.duplicate());
            }
            if (hasher != null) {
                hasher.update(chunk.duplicate());
            }
            image.putSome(chunk); // the block CRCs while the bytes are hot in cache
            src.position(src.position() + n);
            written += n;
        }
    }

    /** The trailer MD5 of piece {@code i}, which ends here: the MD5 of the blob's bytes so far. */
    private byte[] trailerOf(int i) {
        if (given == null) {
            return prefixMd5();
        }
        if (i >= given.count()) {
            throw new IllegalStateException("blob " + blobId + " has more pieces than the digests it came with");
        }
        return given.md5(i);
    }

    /** The MD5 of the blob's bytes so far, leaving the running digest as it is. */
    private byte[] prefixMd5() {
        try {
            return ((MessageDigest) md5.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("MD5 digests of this JVM cannot be cloned", e);
        }
    }

    /** Appends the piece collected so far as one record, then empties the buffer for the next one. */
    private void appendPiece(byte[] trailerMd5, boolean moreToCome) {
        image.seal(new RecordHeader(kind, blobId, pieceStart, image.bodyLength(), owner, partNumber), trailerMd5);
        try {
            pieces.add(appender.append(image, moreToCome));
        } catch (WriteLanes.LanesBusyException e) {
            abandon();
            throw new EngineException(ErrorCode.SLOW_DOWN, "blob " + blobId + ": " + e.getMessage());
        } catch (IOException e) {
            abandon();
            throw EngineException.io("writing blob " + blobId, appender.space().explain(e));
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
        pieceStart += image.bodyLength();
        image.reset();
    }

    /** Ends the body; after this {@link #md5()} and {@link #checksum()} are known. */
    @Override
    public void finishBody() {
        if (md5Digest == null) {
            md5Digest = given == null ? md5.digest() : given.md5(given.count() - 1);
            checksum = hasher == null ? null : hasher.digest();
        }
    }

    @Override
    public byte[] md5() {
        return md5Digest.clone();
    }

    /** The raw digest of the extra checksum, or null when none was asked for. */
    @Override
    public byte[] checksum() {
        return checksum == null ? null : checksum.clone();
    }

    @Override
    public ChecksumAlgorithm checksumAlgorithm() {
        return checksumAlgorithm;
    }

    /** Appends the last piece, gives the buffer back and waits until every piece is durable. */
    @Override
    public BlobPieces persist() {
        finishBody();
        if (image == null) {
            throw new IllegalStateException("blob " + blobId + " was abandoned");
        }
        if (image.bodyLength() > 0 || pieces.isEmpty()) { // an empty body is one empty record
            appendPiece(md5Digest, false);
        }
        giveBackBuffer();
        try {
            // the last piece of each segment first: its sync covers the earlier ones there
            for (int i = pieces.size() - 1; i >= 0; i--) {
                pieces.get(i).sync();
            }
        } catch (IOException e) {
            close();
            throw EngineException.io("persisting blob " + blobId, appender.space().explain(e));
        }
        persisted = true;
        List<BlobLocation> places = new ArrayList<>(pieces.size());
        for (RecordWriter.Sealed p : pieces) {
            places.add(p.location());
        }
        return new BlobPieces(places);
    }

    /** Drops the body: the pieces appended so far are garbage, and their segments may be collected. */
    @Override
    public void abandon() {
        if (!persisted) {
            unpinPieces();
        }
        giveBackBuffer();
    }

    /** Ends the write: an unfinished body is abandoned, a persisted one stops holding its segments. */
    @Override
    public void close() {
        unpinPieces();
        giveBackBuffer();
    }

    private void unpinPieces() {
        pieces.forEach(RecordWriter.Sealed::release);
        pieces.clear();
    }

    private void giveBackBuffer() {
        if (image != null) {
            buffers.give(image);
            image = null;
        }
    }
}
