package io.tessera.server;

import io.tessera.engine.AsyncEngine;
import io.tessera.engine.Engine;
import io.tessera.server.auth.SigV4Verifier;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.handler.ErrorResponses;
import io.tessera.server.handler.HandlerContext;
import io.tessera.server.handler.Owners;
import io.tessera.server.handler.S3Dispatcher;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.RequestIds;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.http.S3Service;
import io.tessera.server.keys.KeyRing;
import io.tessera.server.lifecycle.LifecycleScheduler;
import io.tessera.server.lifecycle.LifecycleSweeper;
import io.tessera.server.netty.ListenerStats;
import io.tessera.server.netty.NettyLimits;
import io.tessera.server.netty.NettyListener;
import io.tessera.server.netty.Transports;
import io.tessera.server.route.AddressingResolver;
import io.tessera.server.tls.ServerTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Tessera node: the engine, its I/O threads, the S3 service, the HTTP listener and the lifecycle
 * scheduler.
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
    private final AsyncEngine async;
    private final NettyListener listener;
    private final ServerTls tls;
    private final AtomicInteger inFlight;
    private final AtomicBoolean closing;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final KeyRing keys;
    private final LifecycleScheduler lifecycle;

    private S3Server(ServerConfig config, Engine engine, AsyncEngine async, NettyListener listener, ServerTls tls,
                     AtomicInteger inFlight, AtomicBoolean closing, KeyRing keys, LifecycleScheduler lifecycle) {
        this.config = config;
        this.engine = engine;
        this.async = async;
        this.listener = listener;
        this.tls = tls;
        this.inFlight = inFlight;
        this.closing = closing;
        this.keys = keys;
        this.lifecycle = lifecycle;
    }

    /**
     * Opens the engine on the data directory and starts listening.
     *
     * @throws IllegalArgumentException when the TLS files cannot be used (checked before the engine opens)
     */
    public static S3Server start(ServerConfig config) {
        ServerTls tls = config.tls() == null ? null : ServerTls.load(config.tls());
        Engine engine = Engine.open(config.engine());
        AsyncEngine async = new AsyncEngine(engine, config.engineThreads());
        KeyRing keys = null;
        try {
            RequestIds ids = new RequestIds();
            ErrorResponses errors = new ErrorResponses(ids, config.limits().retryAfterSeconds());
            keys = KeyRing.open(config.dataDir(), config.credentials());
            HandlerContext ctx = new HandlerContext(async, new Owners(keys::displayName), config.region(), errors,
                    keys);
            SigV4Verifier verifier = new SigV4Verifier(keys, config.region());
            S3Dispatcher dispatcher = new S3Dispatcher(ctx, verifier, new AddressingResolver(config.domains()),
                    config.clock());
            AtomicInteger inFlight = new AtomicInteger();
            AtomicBoolean closing = new AtomicBoolean();
            S3Service service = tracking(dispatcher, errors, inFlight, closing);
            NettyListener listener = NettyListener.bind(config.listen(), config.netThreads(), service, errors, ids,
                    async::run, config.limits(), tls);
            LifecycleScheduler lifecycle = LifecycleScheduler.start(engine, config.clock(),
                    LifecycleScheduler.DEFAULT_INTERVAL, LifecycleSweeper.DEFAULT_PAGE);
            S3Server server = new S3Server(config, engine, async, listener, tls, inFlight, closing, keys, lifecycle);
            if (config.limits().maxBodies() > config.engine().maxWriteLanes()) {
                LOG.warn("up to {} request bodies are read at once but the engine has {} write lanes:"
                        + " bodies beyond them wait for a lane", config.limits().maxBodies(),
                        config.engine().maxWriteLanes());
            }
            LOG.info("Tessera serving {} on {} (transport {}, region {})", config.dataDir(), server.endpoint(),
                    Transports.name(), config.region());
            if (tls != null) {
                LOG.info("TLS by {}", tls.describe());
            }
            return server;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeKeys(keys);
            async.close();
            engine.close();
            throw new IllegalStateException("interrupted while binding " + config.listen(), e);
        } catch (RuntimeException e) {
            closeKeys(keys);
            async.close();
            engine.close();
            throw e;
        }
    }

    private static void closeKeys(KeyRing keys) {
        if (keys != null) {
            keys.close();
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
            });
        };
    }

    /** The address the node listens on. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** {@code https://host:port} with TLS, else {@code http://host:port}. */
    public URI endpoint() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls != null ? "https://" : "http://") + host + ":" + a.getPort());
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
        lifecycle.close();
        keys.close();
        async.close();
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
