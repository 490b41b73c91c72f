package io.tessera.server.http;

import java.nio.ByteBuffer;

/**
 * A piece of a request body, as it came off the network. Whoever receives a chunk owns it and must
 * {@link #release()} it exactly once, from any thread, when done with its bytes: releasing is also
 * how the network layer learns that it may read more (backpressure).
 */
public interface BodyChunk {
    /** The bytes, between position and limit. Valid until {@link #release()}. */
    ByteBuffer buffer();

    /** Number of bytes in this chunk. */
    int size();

    /** Gives the memory back and credits the connection's read window. */
    void release();
}
