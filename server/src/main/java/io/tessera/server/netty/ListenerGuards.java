package io.tessera.server.netty;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the connections of one listener share to keep the node serving: the connection cap, the
 * admission of request bodies, and the counts (logged now and then) of what was refused or cut.
 * Thread-safe.
 */
final class ListenerGuards {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerGuards.class);

    private final NettyLimits limits;
    private final ConnectionCap connections;
    private final BodyAdmission bodies;
    private final PeriodicLog refusedBodies = new PeriodicLog(LOG,
            "answered {} requests 503 SlowDown: the node reads as many request bodies as it may, or their client"
                    + " held its share of them");
    private final PeriodicLog headerTimeouts = new PeriodicLog(LOG,
            "cut {} connections whose client was too slow to send a request head");
    private final PeriodicLog bodyTimeouts = new PeriodicLog(LOG,
            "answered {} requests 400 RequestTimeout: their client stalled while sending the body");

    ListenerGuards(NettyLimits limits) {
        this.limits = limits;
        this.connections = new ConnectionCap(limits.maxConnections());
        this.bodies = new BodyAdmission(limits.maxBodies(), limits.maxBodyMemory(), limits.maxBodyWaiters(),
                limits.maxClientShare());
    }

    NettyLimits limits() {
        return limits;
    }

    ConnectionCap connections() {
        return connections;
    }

    BodyAdmission bodies() {
        return bodies;
    }

    void bodyRefused(Object request) {
        refusedBodies.record(String.valueOf(request));
    }

    void headerTimedOut(Object connection) {
        headerTimeouts.record(String.valueOf(connection));
    }

    void bodyTimedOut(Object request) {
        bodyTimeouts.record(String.valueOf(request));
    }

    ListenerStats stats() {
        return new ListenerStats(connections.open(), connections.refused(), bodies.admitted(), bodies.admittedBytes(),
                bodies.waiting(), refusedBodies.total(), bodies.refusedForShare(), headerTimeouts.total(),
                bodyTimeouts.total());
    }
}
