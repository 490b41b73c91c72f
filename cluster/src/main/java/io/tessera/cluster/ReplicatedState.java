package io.tessera.cluster;

/**
 * The deterministic state a group replicates. Called by one thread, in log order.
 *
 * <p>Thread-safety: never called concurrently; every call of one group comes from that group's single
 * state thread, so an implementation needs no locks of its own for these calls.
 */
public interface ReplicatedState {
    /** Index of the last entry applied and durable in the state (0 if none): entries up to it are skipped on replay. */
    long appliedIndex();

    /**
     * Applies the committed entry at index (each index once, increasing), returns the answer for the
     * submitter. Deterministic: same entries, same state, same answers on every node. May throw only
     * for a node failure (I/O), never for a bad entry (that is an answer).
     */
    byte[] apply(long index, byte[] entry);

    /** Makes everything applied durable; returns the applied index now durable (Ratis may purge the log up to it). */
    long persist();

    /** Writes a snapshot of the state into the empty directory dir; returns the index it holds. */
    long checkpoint(java.nio.file.Path dir);

    /** Replaces the whole state with a snapshot written by checkpoint (possibly on another node). */
    void install(java.nio.file.Path dir);
}
