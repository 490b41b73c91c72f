package io.tessera.server.netty;

/**
 * A snapshot of a listener's guards, counted since it started.
 *
 * @param openConnections    client connections open now
 * @param refusedConnections connections closed at once because {@link NettyLimits#maxConnections()} were open
 * @param admittedBodies     request bodies admitted now
 * @param waitingBodies      requests with a body waiting for admission now
 * @param refusedBodies      requests answered 503 SlowDown because no body could be admitted
 * @param headerTimeouts     connections cut because the request head did not arrive in time
 * @param bodyTimeouts       requests answered 400 RequestTimeout because their body stalled
 */
public record ListenerStats(int openConnections, long refusedConnections, int admittedBodies, int waitingBodies,
                            long refusedBodies, long headerTimeouts, long bodyTimeouts) {
}
