package io.tessera.cluster;

/**
 * A request got no answer from the group within its bound: there is no leader, or the leader cannot
 * reach a majority. The entry of a failed {@link ClusterNode#submit} may still be committed later (a
 * Raft log cannot take back what reached a follower), so its outcome is unknown, not refused.
 *
 * <p>Immutable.
 */
public final class NoQuorumException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoQuorumException(String message, Throwable cause) {
        super(message, cause);
    }
}
