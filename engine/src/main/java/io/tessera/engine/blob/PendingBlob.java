package io.tessera.engine.blob;

import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.segment.BlobPieces;
import java.nio.ByteBuffer;

/**
 * One blob being written, as {@link BlobBodyWriter}, {@link BodyChecks} and the owner's metadata
 * commit see it: bytes go in, {@link #finishBody()} ends the body and exposes its digests, then
 * {@link #persist()} makes it durable (the caller then commits its row) or {@link #abandon()} drops
 * it, and {@link #close()} ends the write either way. {@link BlobWrite} collects a large body in pieces,
 * each appended through a write lane held only for that append; {@link BufferedBlobWrite} collects a small
 * body in memory for the shared segment.
 *
 * <p>Not thread-safe.
 */
public interface PendingBlob extends AutoCloseable {
    long blobId();

    /** Body bytes taken so far. */
    long written();

    /** Refuses with STORAGE_FULL, before any byte is read, a body of {@code length} bytes the disk cannot take. */
    void requireRoom(long length);

    void write(ByteBuffer src);

    /** Ends the body; after this {@link #md5()} and {@link #checksum()} are known. */
    void finishBody();

    byte[] md5();

    /** The raw digest of the extra checksum, or null when none was asked for. */
    byte[] checksum();

    ChecksumAlgorithm checksumAlgorithm();

    /** Writes the record(s) and waits until they are durable; returns where the blob's pieces lie. */
    BlobPieces persist();

    /** Drops the body: nothing of it will ever be visible. */
    void abandon();

    /** Ends the write: an unfinished body is abandoned, a persisted one stops holding its segment. */
    @Override
    void close();
}
