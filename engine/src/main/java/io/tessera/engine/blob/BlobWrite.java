package io.tessera.engine.blob;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.checksum.Hasher;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.RecordWriter;
import io.tessera.engine.segment.WriteLane;
import io.tessera.engine.segment.WriteLanes;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One blob being written: streams bytes into a lane while computing MD5 and, optionally, one S3
 * checksum. {@link #finishBody()} ends the body and exposes the digests; then {@link #persist()}
 * makes it durable (the caller then commits its row) or {@link #abandon()} drops it.
 *
 * <p>Not thread-safe.
 */
public final class BlobWrite implements PendingBlob {
    private final long blobId;
    private final WriteLanes lanes;
    private final RecordWriter writer;
    private final ChecksumAlgorithm checksumAlgorithm;
    private final Hasher hasher;
    private byte[] md5;
    private byte[] checksum;
    private boolean finished;
    private RecordWriter.Sealed sealed;

    BlobWrite(WriteLanes lanes, WriteLane lane, long blobId, RecordKind kind, byte[] owner, int partNumber,
              long maxBodyLength, ChecksumAlgorithm checksumAlgorithm) {
        this.blobId = blobId;
        this.lanes = lanes;
        this.checksumAlgorithm = checksumAlgorithm;
        this.hasher = checksumAlgorithm == null ? null : checksumAlgorithm.newHasher();
        this.writer = new RecordWriter(lanes, lane, kind, blobId, owner, partNumber, maxBodyLength,
                hasher == null ? null : hasher::update);
    }

    @Override
    public long blobId() {
        return blobId;
    }

    @Override
    public long written() {
        return writer.written();
    }

    /** Refuses with STORAGE_FULL, before any byte is read, a body of {@code length} bytes the disk cannot take. */
    @Override
    public void requireRoom(long length) {
        try {
            writer.requireRoom(length);
        } catch (IOException e) {
            throw EngineException.io("blob " + blobId + " of " + length + " bytes", e);
        }
    }

    @Override
    public void write(ByteBuffer src) {
        try {
            writer.write(src);
        } catch (RecordWriter.BodyTooLargeException e) {
            abandon();
            throw new EngineException(ErrorCode.ENTITY_TOO_LARGE, e.getMessage());
        } catch (IOException e) {
            abandon();
            throw EngineException.io("writing blob " + blobId, e);
        }
    }

    /** Ends the body; after this {@link #md5()} and {@link #checksum()} are known. */
    @Override
    public void finishBody() {
        if (!finished) {
            finished = true;
            md5 = writer.digest();
            checksum = hasher == null ? null : hasher.digest();
        }
    }

    @Override
    public byte[] md5() {
        return md5.clone();
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

    /** Writes the trailer and header and waits until the record is durable. */
    @Override
    public BlobLocation persist() {
        finishBody();
        try {
            sealed = writer.seal();
            sealed.sync();
            return sealed.location();
        } catch (IOException e) {
            close();
            throw EngineException.io("persisting blob " + blobId, lanes.space().explain(e));
        }
    }

    @Override
    public void abandon() {
        writer.abandon();
    }

    /** Ends the write: an unfinished body is abandoned, a persisted one stops holding its segment. */
    @Override
    public void close() {
        writer.abandon();
        if (sealed != null) {
            sealed.release();
            sealed = null;
        }
    }
}
