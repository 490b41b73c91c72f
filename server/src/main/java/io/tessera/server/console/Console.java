package io.tessera.server.console;

import io.netty.channel.ChannelHandler;
import io.tessera.engine.Engine;
import io.tessera.server.admin.AdminApi;
import io.tessera.server.admin.AdminOperations;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's web console at {@code /console} on the admin listener (see {@link ConsoleApi} for what it
 * serves and how one signs in): its sessions, the space history its charts draw, and the threads it works
 * on. {@link #handlers()} goes into the admin listener's pipeline; {@link #engineOpened} starts the
 * sampling.
 *
 * <p>Thread-safe.
 */
public final class Console implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    /** The most sessions at once; signing in beyond ends the least recently used. */
    static final int MAX_SESSIONS = 64;

    private final SpaceHistory history;
    private final ConsoleApi api;
    private final ThreadPoolExecutor work;
    private final ThreadPoolExecutor bodies;

    /**
     * @param admin  the admin API: its key signs the console in, and its maintenance task runs GC
     * @param region the region signatures name
     */
    public Console(ConsoleConfig config, AdminApi admin, String region, Clock clock) {
        this.history = new SpaceHistory(config.historySize(), config.sampleInterval());
        this.work = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
                daemon("tessera-console"));
        // bodies are paced by their connections (one piece each at a time) and come from signed-in sessions only
        this.bodies = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("tessera-console-io"));
        this.api = new ConsoleApi(config, admin, new ConsoleSessions(clock, config.sessionIdle(), config.sessionMax(),
                MAX_SESSIONS), history, new ConsoleAssets(), region, clock, work);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A console handler for each admin connection. */
    public Supplier<ChannelHandler> handlers() {
        return () -> new ConsoleHandler(api, bodies);
    }

    /**
     * The engine is open: the console works on it from now on, creating what it creates as the owner of the
     * admin key signed in ({@code owners}: by access key id), and samples its space.
     */
    public void engineOpened(Engine engine, AdminOperations operations, Map<String, String> owners) {
        api.engineOpened(new ConsoleData(engine, operations, owners));
        history.start(engine);
    }

    /** Stops sampling and lets the work under way end (bounded): the engine may close after this. */
    @Override
    public void close() {
        history.close();
        work.shutdown();
        bodies.shutdown();
        try {
            if (!work.awaitTermination(10, TimeUnit.SECONDS) || !bodies.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("console work is still running after 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
