package io.tessera.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tessera.cluster.ClusterStatus;
import io.tessera.server.group.GroupTraffic;
import io.tessera.engine.Engine;
import io.tessera.server.netty.ListenerStats;
import io.tessera.server.observe.RequestListener;
import io.tessera.server.observe.RequestRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The node's metrics in one Prometheus registry: S3 requests (by operation and status: a counter and a
 * latency histogram; bytes in and out by operation; SlowDown answers), the connection and body gauges
 * of the HTTP side, the engine's space, upload, GC and fsync figures, the group's (role, term, indexes,
 * follower lag, snapshot installs) on a member of one, and the JVM's. {@link #scrape()}
 * renders the Prometheus text format.
 *
 * <p>Thread-safe. {@link #completed} runs on network threads and only increments meters.
 */
public final class NodeMetrics implements RequestListener, AutoCloseable {
    /** The media type of {@link #scrape()}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String UNKNOWN = "unknown";
    /** Latency buckets: S3 answers span sub-millisecond HEADs to minute-long 5 GiB parts. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics jvmGc = new JvmGcMetrics();
    private final Map<String, RequestMeters> byOperationAndStatus = new ConcurrentHashMap<>();
    private final Map<String, ByteMeters> byOperation = new ConcurrentHashMap<>();
    /** SlowDown answers the S3 service gave (admission refusals are counted by the listener). */
    private final LongAdder slowDowns = new LongAdder();
    private volatile EngineGauges engine;
    private volatile GroupGauges group;

    /** Meters of one operation and status. */
    private record RequestMeters(Counter requests, Timer duration) {
    }

    /** Byte counters of one operation. */
    private record ByteMeters(Counter received, Counter sent) {
    }

    /**
     * @param dataDir the node's data directory, whose file system's free and total space are reported
     * @param version the node's version, reported as {@code tessera_build_info{version=...} 1}
     */
    public NodeMetrics(Path dataDir, String version) {
        new JvmMemoryMetrics().bindTo(registry);
        jvmGc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new DiskSpaceMetrics(dataDir.toAbsolutePath().toFile()).bindTo(registry);
        Gauge.builder("tessera.build.info", () -> 1).tag("version", version).description("The node's version")
                .strongReference(true).register(registry);
    }

    /**
     * Registers the HTTP side's meters.
     *
     * @param listener         the S3 listener's guards: connections, admitted and refused bodies, timeouts
     * @param requestsInFlight S3 requests received and not yet answered
     */
    public void bindServer(Supplier<ListenerStats> listener, IntSupplier requestsInFlight) {
        gauge("tessera.s3.connections", "S3 client connections open", () -> listener.get().openConnections());
        gauge("tessera.s3.requests.in.flight", "S3 requests received and not yet answered", requestsInFlight);
        gauge("tessera.s3.bodies.in.flight", "S3 request bodies admitted and not yet answered",
                () -> listener.get().admittedBodies());
        gauge("tessera.s3.bodies.waiting", "S3 requests waiting for their body's admission",
                () -> listener.get().waitingBodies());
        Gauge.builder("tessera.s3.bodies.memory.bytes", listener, l -> l.get().admittedBodyBytes())
                .description("Memory reserved by the S3 request bodies admitted now").strongReference(true)
                .register(registry);
        counter("tessera.s3.bodies.refused.share", "Requests answered 503 SlowDown because their client held its"
                + " share of the body admissions", () -> listener.get().refusedForShare());
        counter("tessera.s3.connections.refused", "Connections closed at once because too many were open",
                () -> listener.get().refusedConnections());
        counter("tessera.s3.header.timeouts", "Connections cut because a request head did not arrive in time",
                () -> listener.get().headerTimeouts());
        counter("tessera.s3.body.timeouts", "Requests answered 400 RequestTimeout because their body stalled",
                () -> listener.get().bodyTimeouts());
        counter("tessera.s3.slowdowns", "Requests answered 503 SlowDown: no body admission in time, or their client"
                + " held its share", slowDowns::sum);
    }

    /**
     * A counter read from {@code value}. A function counter holds its source object weakly and its function
     * strongly, so the source is this (alive as long as the meters are) and {@code value} lives in the
     * function: a lambda made here as the source has no other owner and would be collected, leaving the
     * counter frozen at its last reading.
     */
    private void counter(String name, String help, LongSupplier value) {
        FunctionCounter.builder(name, this, self -> value.getAsLong()).description(help).register(registry);
    }

    /** Registers the engine's meters; call once it has opened (takes a first snapshot: disk I/O). */
    public void bindEngine(Engine e) {
        EngineGauges g = new EngineGauges(e);
        g.register(registry);
        engine = g;
        counter("tessera.engine.background.command.rounds", "Background cycles in which this node issued the"
                + " periodic commands (reclaims of aborted uploads, tombstone purges); in a group, only the leader"
                + " does", e::backgroundCommandRounds);
    }

    /**
     * Registers the group's meters of a member node; {@code status} is this node's view of its group (cheap),
     * {@code traffic} what it exchanged with the others.
     */
    public void bindGroup(Supplier<ClusterStatus> status, GroupTraffic traffic) {
        GroupGauges g = new GroupGauges(status, traffic);
        g.register(registry);
        group = g;
    }

    private void gauge(String name, String help, IntSupplier value) {
        Gauge.builder(name, value, IntSupplier::getAsInt).description(help).strongReference(true).register(registry);
    }

    @Override
    public void completed(RequestRecord r) {
        String op = r.operation() == null ? UNKNOWN : r.operation();
        String status = Integer.toString(r.status());
        RequestMeters m = byOperationAndStatus.computeIfAbsent(op + ' ' + status, k -> new RequestMeters(
                Counter.builder("tessera.s3.requests").tag("operation", op).tag("status", status)
                        .description("S3 requests answered").register(registry),
                Timer.builder("tessera.s3.request.duration").tag("operation", op).tag("status", status)
                        .description("Time from a request's headers to its answer's last byte")
                        .serviceLevelObjectives(BUCKETS).register(registry)));
        m.requests().increment();
        m.duration().record(r.durationNanos(), TimeUnit.NANOSECONDS);
        ByteMeters b = byOperation.computeIfAbsent(op, k -> new ByteMeters(
                Counter.builder("tessera.s3.received").baseUnit("bytes").tag("operation", op)
                        .description("Request body bytes received, framing included").register(registry),
                Counter.builder("tessera.s3.sent").baseUnit("bytes").tag("operation", op)
                        .description("Answer body bytes written in full").register(registry)));
        b.received().increment(r.bytesIn());
        if (r.complete()) {
            b.sent().increment(r.bytesOut());
        }
        if ("SlowDown".equals(r.errorCode())) {
            slowDowns.increment();
        }
    }

    /** The Prometheus text of every meter, engine figures taken now: disk I/O, never on an event loop. */
    public String scrape() {
        EngineGauges g = engine;
        if (g != null) {
            g.refresh();
        }
        GroupGauges gg = group;
        if (gg != null) {
            gg.refresh();
        }
        return registry.scrape();
    }

    /** The registry, for meters other parts of the node add. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        jvmGc.close();
        registry.close();
    }
}
