package io.tessera.cluster;

import java.io.IOException;

/**
 * A {@link ReplicatedState} that also takes bytes sent to this node outside the log
 * ({@link ClusterNode#sendBytes} on another node). A state that does not implement it refuses every
 * transfer.
 *
 * <p>Thread-safety: unlike the state's own methods, {@link #receive} is called from the transfer
 * threads, concurrently with the state thread and with other receives: it must be thread-safe.
 */
public interface BytesReceiver {
    /**
     * Opens the sink for one incoming transfer.
     *
     * @param header what the sender named the bytes with (opaque to the cluster)
     * @param length how many bytes will follow; the transfer layer checks it, the sink may use it
     *               to preallocate
     * @throws IOException to refuse the transfer (the sender's future fails)
     */
    BytesSink receive(byte[] header, long length) throws IOException;
}
