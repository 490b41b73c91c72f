package io.tessera.server.jepsen;

/**
 * One direction of the bytes through a {@link FaultProxy}: from the connecting side to the target the
 * proxy stands in front of, or back. For a peer link A to B whose proxy fronts B's peer port,
 * {@link #TO_TARGET} is A to B. Immutable.
 */
public enum Direction {
    /** From the side that connected to the proxy to the proxy's target. */
    TO_TARGET,
    /** From the proxy's target back to the side that connected. */
    FROM_TARGET
}
