package io.tessera.engine;

import java.nio.ByteBuffer;

/**
 * Streams one body (a part or an object) into a segment while hashing it, then commits it.
 * Not thread-safe: one request owns it. {@link #close()} without a successful {@link #commit}
 * abandons the body; its bytes never become visible.
 *
 * @param <R> what a successful commit returns
 */
public interface BodyWriter<R> extends AutoCloseable {
    /** Appends all remaining bytes of {@code src} (consumes it). May block on disk I/O. */
    void write(ByteBuffer src);

    /** Bytes written so far. */
    long written();

    /**
     * Makes the bytes durable, checks them against {@code expectations}, and commits the metadata.
     * Only after this returns is the body visible; on failure nothing is.
     */
    R commit(BodyExpectations expectations);

    @Override
    void close();
}
