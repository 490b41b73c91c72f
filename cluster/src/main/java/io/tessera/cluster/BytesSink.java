package io.tessera.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the bytes of one incoming transfer go on the receiving node (opened by
 * {@link BytesReceiver#receive}). Exactly one of {@link #commit} or {@link #abort} ends it; after a
 * failed commit, abort is called too.
 *
 * <p>Thread-safety: the calls of one sink never overlap and come in order (write..., then commit or
 * abort), possibly from different threads with a happens-before between them; abort may come at any
 * point (the sender vanished), but not while another call of the same sink runs.
 */
public interface BytesSink {
    /** Takes all of {@code src} (the buffer is Ratis's and is reused after the call returns). */
    void write(ByteBuffer src) throws IOException;

    /**
     * Makes every byte written durable (fsync) and keeps them; the sender's transfer succeeds only once
     * this returned. Throwing fails the transfer.
     */
    void commit() throws IOException;

    /** Drops what was written (the transfer failed or was cut short). Never throws. */
    void abort();
}
