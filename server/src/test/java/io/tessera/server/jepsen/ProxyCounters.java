package io.tessera.server.jepsen;

/**
 * A snapshot of what a {@link FaultProxy} did since it started, so a test can assert that a fault
 * acted (bytes dropped, connections cut) and that healing let traffic through again. A forwarded byte is
 * counted just after it is written on, so the answer it caused may be counted first: wait
 * ({@link FaultProxy#awaitCounters}) for every count to be asserted. Immutable.
 *
 * @param forwardedToTarget bytes written to the target
 * @param forwardedFromTarget bytes written back to the connecting side
 * @param droppedToTarget bytes read from the connecting side and discarded
 * @param droppedFromTarget bytes read from the target and discarded
 * @param delayedToTarget bytes read from the connecting side and held back by a delay
 * @param delayedFromTarget bytes read from the target and held back by a delay
 * @param accepted connections accepted and forwarded to the target
 * @param refused connections closed at once because the link was cut (or the target refused them)
 * @param cut forwarded connections closed by {@link FaultProxy#cut()}
 * @param open forwarded connections open at the time of the snapshot
 */
public record ProxyCounters(long forwardedToTarget, long forwardedFromTarget, long droppedToTarget,
        long droppedFromTarget, long delayedToTarget, long delayedFromTarget, long accepted, long refused, long cut, int open) {

    /** Bytes forwarded in {@code d}. */
    public long forwarded(Direction d) {
        return d == Direction.TO_TARGET ? forwardedToTarget : forwardedFromTarget;
    }

    /** Bytes dropped in {@code d}. */
    public long dropped(Direction d) {
        return d == Direction.TO_TARGET ? droppedToTarget : droppedFromTarget;
    }

    /** Bytes held back by a delay in {@code d} (forwarded later, or discarded by a cut). */
    public long delayed(Direction d) {
        return d == Direction.TO_TARGET ? delayedToTarget : delayedFromTarget;
    }
}
