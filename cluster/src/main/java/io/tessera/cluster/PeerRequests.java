package io.tessera.cluster;

import java.io.IOException;

/**
 * A {@link ReplicatedState} that answers requests other members address to this node alone
 * ({@link ClusterNode#ask}), outside the log: they change nothing replicated (a member asking another
 * to send it bytes it lacks, say). A state that does not implement it refuses them.
 *
 * <p>Thread-safety: called on Ratis's threads, concurrently with the state thread and with other
 * requests: it must be thread-safe and quick (start long work elsewhere and answer at once).
 */
public interface PeerRequests {
    /** The answer to {@code request}; throwing fails the asker's future. */
    byte[] answer(byte[] request) throws IOException;
}
