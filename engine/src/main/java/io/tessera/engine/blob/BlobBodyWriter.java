package io.tessera.engine.blob;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.segment.BlobPieces;
import java.nio.ByteBuffer;

/**
 * The {@link BodyWriter} of every body: streams into a {@link PendingBlob}; on commit checks the body
 * against the client's claims, makes it durable, then runs the owner's metadata commit. Whatever the
 * outcome, the write ends there: the blob is committed, or garbage that GC may reclaim.
 *
 * @param <R> what the owner's commit returns
 */
public final class BlobBodyWriter<R> implements BodyWriter<R> {
    /** The metadata step that publishes a durable blob (a part row, an object row). */
    @FunctionalInterface
    public interface Publisher<R> {
        R publish(PendingBlob write, BlobPieces pieces);
    }

    private final PendingBlob write;
    private final long expectedLength;
    private final Publisher<R> publisher;

    /**
     * Takes over {@code write}; a body announced longer than the disk can take now is refused here
     * (STORAGE_FULL), before any of it is read, and the write is closed.
     */
    public BlobBodyWriter(PendingBlob write, long expectedLength, Publisher<R> publisher) {
        this.write = write;
        this.expectedLength = expectedLength;
        this.publisher = publisher;
        try {
            write.requireRoom(Math.max(0, expectedLength));
        } catch (RuntimeException e) {
            write.close();
            throw e;
        }
    }

    @Override
    public void write(ByteBuffer src) {
        write.write(src);
    }

    @Override
    public long written() {
        return write.written();
    }

    @Override
    public R commit(BodyExpectations expectations) {
        try {
            BodyChecks.verify(write, expectedLength, expectations);
            return publisher.publish(write, write.persist());
        } finally {
            write.close();
        }
    }

    @Override
    public void close() {
        write.close();
    }
}
