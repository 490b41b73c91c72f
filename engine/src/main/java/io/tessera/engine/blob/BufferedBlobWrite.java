package io.tessera.engine.blob;

import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.checksum.Hasher;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.DiskSpace;
import io.tessera.engine.segment.RecordHeader;
import io.tessera.engine.segment.RecordImage;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.SharedSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A small blob of announced length: its body is collected in memory (it holds no write lane while it
 * streams) and hashed as it comes, and at the end its whole record is appended to the
 * {@link SharedSegment}, whose fdatasync it shares with every small write appended before.
 *
 * <p>Not thread-safe.
 */
public final class BufferedBlobWrite implements PendingBlob {
    private final SharedSegment shared;
    private final DiskSpace space;
    private final long blobId;
    private final RecordKind kind;
    private final byte[] owner;
    private final int partNumber;
    private final long announced;
    private final ChecksumAlgorithm checksumAlgorithm;
    private final Hasher hasher;
    private final MessageDigest md5Digest;
    private final Runnable onClose;
    private RecordImage image;
    /** The body's length once it is finished. */
    private long length = -1;
    private byte[] md5;
    private byte[] checksum;
    private RecordWriter.Sealed sealed;
    private boolean closed;

    /**
     * @param announced the body's length as announced (the most it may take)
     * @param onClose   run once when the write ends (gives its memory back)
     */
    BufferedBlobWrite(SharedSegment shared, DiskSpace space, long blobId, RecordKind kind, byte[] owner,
                      int partNumber, int announced, ChecksumAlgorithm checksumAlgorithm, Runnable onClose) {
        this.shared = shared;
        this.space = space;
        this.blobId = blobId;
        this.kind = kind;
        this.owner = owner;
        this.partNumber = partNumber;
        this.announced = announced;
        this.checksumAlgorithm = checksumAlgorithm;
        this.hasher = checksumAlgorithm == null ? null : checksumAlgorithm.newHasher();
        this.onClose = onClose;
        this.image = new RecordImage(announced);
        try {
            this.md5Digest = MessageDigest.getInstance("MD5");
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
        return length >= 0 ? length : image == null ? 0 : image.bodyLength();
    }

    @Override
    public void requireRoom(long length) {
        try {
            space.requireRoom(length, false);
        } catch (IOException e) {
            throw EngineException.io("blob " + blobId + " of " + length + " bytes", e);
        }
    }

    @Override
    public void write(ByteBuffer src) {
        if (image == null) {
            throw new IllegalStateException("blob " + blobId + " was abandoned");
        }
        ByteBuffer hashed = src.duplicate();
        if (!image.put(src)) {
            abandon();
            throw new EngineException(ErrorCode.INVALID_REQUEST, "received more than the " + announced
                    + " announced bytes");
        }
        md5Digest.update(hashed.duplicate()); // while the bytes are hot in cache
        if (hasher != null) {
            hasher.update(hashed);
        }
    }

    @Override
    public void finishBody() {
        if (md5 == null && image != null) {
            length = image.bodyLength();
            md5 = md5Digest.digest();
            checksum = hasher == null ? null : hasher.digest();
        }
    }

    @Override
    public byte[] md5() {
        return md5.clone();
    }

    @Override
    public byte[] checksum() {
        return checksum == null ? null : checksum.clone();
    }

    @Override
    public ChecksumAlgorithm checksumAlgorithm() {
        return checksumAlgorithm;
    }

    /** Appends the record to the shared segment and waits for the fdatasync that covers it. */
    @Override
    public BlobPieces persist() {
        finishBody();
        if (image == null) {
            throw new IllegalStateException("blob " + blobId + " was abandoned");
        }
        try {
            image.seal(new RecordHeader(kind, blobId, 0, image.bodyLength(), owner, partNumber), md5);
            sealed = shared.append(image);
            image = null; // its bytes are in the segment now
            sealed.sync();
            return BlobPieces.of(sealed.location());
        } catch (IOException e) {
            close();
            throw EngineException.io("persisting blob " + blobId, space.explain(e));
        }
    }

    /** Nothing was written anywhere yet (or the record stays unreferenced): just drop the bytes. */
    @Override
    public void abandon() {
        image = null;
    }

    @Override
    public void close() {
        image = null;
        if (sealed != null) {
            sealed.release();
            sealed = null;
        }
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
