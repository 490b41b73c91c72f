package io.tessera.server;

import io.tessera.engine.AsyncEngine;
import io.tessera.engine.Engine;
import io.tessera.server.group.GroupNode;
import io.tessera.server.admin.AdminApi;
import io.tessera.server.admin.AdminListener;
import io.tessera.server.admin.AdminOperations;
import io.tessera.server.admin.GroupOperations;
import io.tessera.server.admin.Health;
import io.tessera.server.auth.InMemoryCredentialStore;
import io.tessera.server.auth.SigV4Verifier;
import io.tessera.server.console.Console;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.handler.ErrorResponses;
import io.tessera.server.handler.HandlerContext;
import io.tessera.server.handler.Owners;
import io.tessera.server.handler.S3Dispatcher;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.RequestFacts;
import io.tessera.server.http.RequestIds;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.http.S3Service;
import io.tessera.server.keys.KeyRing;
import io.tessera.server.keys.KeyFileImport;
import io.tessera.server.keys.KeyStore;
import io.tessera.server.metrics.NodeMetrics;
import io.tessera.server.lifecycle.LifecycleScheduler;
import io.tessera.server.lifecycle.LifecycleSweeper;
import io.tessera.server.netty.ListenerStats;
import io.tessera.server.netty.NettyLimits;
import io.tessera.server.netty.NettyListener;
import io.tessera.server.netty.Transports;
import io.tessera.server.observe.AccessLog;
import io.tessera.server.observe.AccessLogFormat;
import io.tessera.server.observe.ObservedService;
import io.tessera.server.observe.RequestListener;
import io.tessera.server.route.AddressingResolver;
import io.tessera.server.tls.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Tessera node: the engine, its I/O threads, the S3 service, the HTTP listener and the lifecycle
 * scheduler.
 *
 * <p>The admin listener, metrics and access log come with {@link OpsConfig}; the admin listener starts
 * before the engine opens, so that liveness answers during recovery and readiness once it is over.
 *
 * <p>{@link #close()} shuts down gracefully and in bounded time: it stops accepting connections, closes
 * idle ones, answers new requests on open connections with 503 ServiceUnavailable, lets requests in
 * flight finish for up to {@link NettyLimits#shutdownTimeout()} (each connection closes after its
 * answer), then cuts whatever is left and logs how much that was, waits for the engine's queued work
 * and closes the engine (the lifecycle scheduler stops before it). Thread-safe.
 */
public final class S3Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);

    private final ServerConfig config;
    private final Engine engine;
    /** This node's membership of its replicated group; null for a node on its own. */
    private final GroupNode group;
    private final AsyncEngine async;
    private final NettyListener listener;
    private final ServerTls tls;
    private final AtomicInteger inFlight;
    private final AtomicBoolean closing;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final KeyRing keys;
    private final LifecycleScheduler lifecycle;
    private final Operator ops;

    /**
     * The operator's side of a node: health, metrics, the admin API and its listener (null when off) with the
     * web console (null when off).
     */
    private record Operator(Health health, NodeMetrics metrics, AdminApi api, AdminListener listener, Console console)
            implements AutoCloseable {
        static Operator start(ServerConfig config, OpsConfig ops) {
            try {
                Files.createDirectories(config.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
            }
            Health health = new Health(config.dataDir());
            NodeMetrics metrics = new NodeMetrics(config.dataDir(), version());
            // The admin API knows the node's admin keys and no other: a key of the key store is refused.
            AdminApi api = new AdminApi(health, metrics, new SigV4Verifier(
                    new InMemoryCredentialStore(config.credentials()), config.region()), config.clock());
            AdminListener listener = null;
            Console console = ops.adminListen() != null && ops.console().enabled()
                    ? new Console(ops.console(), api, config.region(), config.clock()) : null;
            try {
                if (ops.adminListen() != null) {
                    listener = AdminListener.bind(ops.adminListen(), api, console == null ? null : console.handlers());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeConsole(console);
                api.close();
                metrics.close();
                throw new IllegalStateException("interrupted while binding " + ops.adminListen(), e);
            } catch (Exception e) { // the bind's failure comes as a checked exception Netty does not declare
                closeConsole(console);
                api.close();
                metrics.close();
                InetSocketAddress a = ops.adminListen();
                throw new IllegalArgumentException("the admin listener cannot bind " + a.getHostString() + ":"
                        + a.getPort() + " (" + e.getMessage() + "); --admin-listen picks another address, off"
                        + " disables it", e);
            }
            return new Operator(health, metrics, api, listener, console);
        }

        private static void closeConsole(Console console) {
            if (console != null) {
                console.close();
            }
        }

        @Override
        public void close() {
            api.close(); // waits for a running maintenance task: the engine closes after this
            if (listener != null) {
                listener.close();
            }
            closeConsole(console); // after the listener: no new console work, and before the engine closes
            metrics.close();
        }
    }

    private S3Server(ServerConfig config, Engine engine, GroupNode group, AsyncEngine async, NettyListener listener,
                     ServerTls tls, AtomicInteger inFlight, AtomicBoolean closing, KeyRing keys, Operator ops,
                     LifecycleScheduler lifecycle) {
        this.config = config;
        this.engine = engine;
        this.group = group;
        this.async = async;
        this.listener = listener;
        this.tls = tls;
        this.inFlight = inFlight;
        this.closing = closing;
        this.keys = keys;
        this.ops = ops;
        this.lifecycle = lifecycle;
    }

    /** This node's membership of its replicated group; null for a node on its own. */
    public GroupNode group() {
        return group;
    }

    /** The node's version, from the jar manifest. */
    public static String version() {
        String v = S3Server.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** Opens the engine on the data directory and starts listening, with no admin listener and no access log. */
    public static S3Server start(ServerConfig config) {
        return start(config, OpsConfig.none());
    }

    /**
     * Starts the admin listener (if any), opens the engine on the data directory and starts listening.
     *
     * @throws IllegalArgumentException when the TLS files cannot be used or the admin address cannot be bound
     *     (both checked before the engine opens)
     */
    public static S3Server start(ServerConfig config, OpsConfig opsConfig) {
        Instant started = Instant.now();
        ServerTls tls = config.tls() == null ? null : ServerTls.load(config.tls());
        Operator ops = Operator.start(config, opsConfig);
        Engine engine;
        GroupNode group = null;
        try {
            if (config.group() == null) {
                engine = Engine.open(config.engine());
            } else {
                engine = Engine.openMember(config.engine());
                try {
                    group = GroupNode.join(engine, config.group());
                } catch (RuntimeException e) {
                    engine.close();
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            ops.close();
            throw e;
        }
        AsyncEngine async = new AsyncEngine(engine, config.engineThreads());
        KeyRing keys = null;
        try {
            ops.metrics().bindEngine(engine);
            RequestIds ids = new RequestIds();
            ErrorResponses errors = new ErrorResponses(ids, config.limits().retryAfterSeconds());
            keys = KeyRing.open(engine, config.credentials());
            KeyFileImport.atStart(new KeyStore(engine), config.dataDir(), group != null);
            HandlerContext ctx = new HandlerContext(async, new Owners(keys::displayName), config.region(), errors,
                    keys);
            SigV4Verifier verifier = new SigV4Verifier(keys, config.region());
            S3Dispatcher dispatcher = new S3Dispatcher(ctx, verifier, new AddressingResolver(config.domains()),
                    config.clock());
            AtomicInteger inFlight = new AtomicInteger();
            AtomicBoolean closing = new AtomicBoolean();
            ObservedService service = new ObservedService(tracking(dispatcher, errors, inFlight, closing),
                    requestListeners(ops.metrics(), opsConfig));
            // each large body holds a piece buffer of the engine's beside its read window
            NettyLimits limits = config.limits().withEngineBodies(config.engine().smallBodyLimit(),
                    config.engine()::bodyMemory);
            NettyListener listener = NettyListener.bind(config.listen(), config.netThreads(), service, errors, ids,
                    async::run, limits, tls);
            LifecycleScheduler lifecycle = LifecycleScheduler.start(engine, config.clock(),
                    LifecycleScheduler.DEFAULT_INTERVAL, LifecycleSweeper.DEFAULT_PAGE);
            S3Server server = new S3Server(config, engine, group, async, listener, tls, inFlight, closing, keys,
                    ops, lifecycle);
            ops.metrics().bindServer(listener::stats, inFlight::get);
            AdminOperations adminOperations = new AdminOperations(engine, version(), started);
            if (group != null) {
                ops.metrics().bindGroup(group::status, group.traffic());
                ops.health().groupJoined(group::status);
                ops.api().groupJoined(new GroupOperations(group));
            }
            ops.api().engineOpened(adminOperations);
            if (ops.console() != null) {
                Map<String, String> owners = new HashMap<>();
                config.credentials().forEach(c -> owners.put(c.accessKeyId(), c.ownerId()));
                ops.console().engineOpened(engine, adminOperations, owners);
            }
            ops.health().engineOpened();
            LOG.info("Tessera serving {} on {} (transport {}, region {})", config.dataDir(), server.endpoint(),
                    Transports.name(), config.region());
            if (tls != null) {
                LOG.info("TLS by {}", tls.describe());
            }
            if (ops.listener() != null) {
                LOG.info("admin listener (health, metrics, admin API{}) on {}", ops.console() != null ? ", console"
                        : "", server.adminEndpoint());
            }
            return server;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ops.close();
            async.close();
            closeGroup(group);
            engine.close();
            throw new IllegalStateException("interrupted while binding " + config.listen(), e);
        } catch (RuntimeException e) {
            ops.close();
            async.close();
            closeGroup(group);
            engine.close();
            throw e;
        }
    }

    private static List<RequestListener> requestListeners(NodeMetrics metrics, OpsConfig ops) {
        List<RequestListener> out = new ArrayList<>();
        out.add(metrics);
        if (ops.accessLog() != AccessLogFormat.OFF) {
            out.add(ops.accessLogSink() != null ? new AccessLog(ops.accessLog(), ops.accessLogSink())
                    : AccessLog.toLogger(ops.accessLog()));
        }
        return out;
    }

    private static void closeGroup(GroupNode group) {
        if (group != null) {
            group.close();
        }
    }

    /** Counts requests until answered, and refuses new ones once closing. */
    private static S3Service tracking(S3Service delegate, ErrorResponses errors, AtomicInteger inFlight,
                                      AtomicBoolean closing) {
        return exchange -> {
            if (closing.get()) {
                exchange.respond(errors.toResponse(exchange.request(),
                        new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The node is shutting down.")));
                return;
            }
            inFlight.incrementAndGet();
            delegate.onRequest(new S3Exchange() {
                private final AtomicBoolean answered = new AtomicBoolean();

                @Override
                public S3Request request() {
                    return exchange.request();
                }

                @Override
                public void readBody(BodySink sink) {
                    exchange.readBody(sink);
                }

                @Override
                public void respond(S3Response response) {
                    if (answered.compareAndSet(false, true)) {
                        inFlight.decrementAndGet();
                    }
                    exchange.respond(response);
                }

                @Override
                public void describe(RequestFacts facts) {
                    exchange.describe(facts);
                }
            });
        };
    }

    /** The address the node listens on. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** {@code https://host:port} with TLS, else {@code http://host:port}. */
    public URI endpoint() {
        return uri(tls != null ? "https://" : "http://", address());
    }

    private static URI uri(String scheme, InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create(scheme + host + ":" + a.getPort());
    }

    /** The admin listener's address, or null when the node has none. */
    public InetSocketAddress adminAddress() {
        return ops.listener() == null ? null : ops.listener().address();
    }

    /** {@code http://host:port} of the admin listener, or null when the node has none. */
    public URI adminEndpoint() {
        InetSocketAddress a = adminAddress();
        return a == null ? null : uri("http://", a);
    }

    /** The node's metrics. */
    public NodeMetrics metrics() {
        return ops.metrics();
    }

    /** The node's TLS, or null when it serves plain HTTP. */
    public ServerTls tls() {
        return tls;
    }

    public ServerConfig config() {
        return config;
    }

    /** The engine (for observation in tests and tools). */
    public Engine engine() {
        return engine;
    }

    /** The node's access keys and their permissions. */
    public KeyRing keys() {
        return keys;
    }

    /** The lifecycle scheduler ({@link LifecycleScheduler#runNow()} sweeps at once). */
    public LifecycleScheduler lifecycle() {
        return lifecycle;
    }

    /** Requests received and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** What the HTTP layer's limits refused and cut so far. */
    public ListenerStats listenerStats() {
        return listener.stats();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + config.limits().shutdownTimeout().toNanos();
        closing.set(true);
        ops.health().closing();
        listener.stopAccepting();
        listener.drain();
        boolean quiet = listener.awaitConnectionsClosed(Duration.ofNanos(deadline - System.nanoTime()))
                && awaitAnswered(deadline);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (quiet) {
            LOG.info("every request was answered and every connection closed after {} ms", ms);
        } else {
            LOG.warn("shutdown: after {} ms, cutting {} connections and {} requests not yet answered", ms,
                    listener.openConnections(), inFlight.get());
        }
        listener.close();
        ops.close();
        lifecycle.close();
        async.close();
        closeGroup(group); // before the engine: no entry applies to a closed engine
        engine.close();
        LOG.info("Tessera stopped");
    }

    /** Waits until every request received has been answered, or {@code deadline} (a nanoTime). */
    private boolean awaitAnswered(long deadline) {
        while (inFlight.get() > 0 && deadline - System.nanoTime() > 0) {
            try {
                Thread.sleep(10); // rare: only requests whose connection died before their answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight.get() == 0;
    }
}
