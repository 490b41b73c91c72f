package io.tessera.server.netty;

/**
 * A snapshot of a listener's guards, counted since it started.
 *
 * @param openConnections    client connections open now
 * @param refusedConnections connections closed at once because {@link NettyLimits#maxConnections()} were open
 * @param admittedBodies     request bodies admitted now (small ones included)
 * @param admittedBodyBytes  memory the admitted bodies reserve now
 * @param waitingBodies      requests with a body waiting for admission now
 * @param refusedBodies      requests answered 503 SlowDown because no body could be admitted
 * @param refusedForShare    ... of which because their client held its share of the admissions
 * @param headerTimeouts     connections cut because the request head did not arrive in time
 * @param bodyTimeouts       requests answered 400 RequestTimeout because their body stalled
 */
public record ListenerStats(int openConnections, long refusedConnections, int admittedBodies,
                            long admittedBodyBytes, int waitingBodies, long refusedBodies, long refusedForShare,
                            long headerTimeouts, long bodyTimeouts) {
}
