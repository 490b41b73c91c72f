package io.tessera.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The engine for callers that must never block (an event loop): every call runs on the engine's own
 * I/O threads and completes a future. Calls for one request that must stay in order (the writes of
 * one body) are chained by the caller on the returned futures. A body's writes may wait briefly for a
 * write lane (for the time one record takes to append, never for a client), which is why they run here.
 *
 * <p>Thread-safe. Closing stops the threads after queued work finishes; it does not close the engine.
 */
public final class AsyncEngine implements AutoCloseable {
    private final Engine engine;
    private final ExecutorService io;

    public AsyncEngine(Engine engine, int threads) {
        this.engine = engine;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "tessera-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.io = Executors.newFixedThreadPool(threads, tf);
    }

    public Engine engine() {
        return engine;
    }

    /** Runs {@code op} against the engine on an I/O thread. */
    public <T> CompletableFuture<T> call(Function<Engine, T> op) {
        return CompletableFuture.supplyAsync(() -> op.apply(engine), io);
    }

    /** Runs blocking work that belongs to the engine (such as a {@link BodyWriter} call) on an I/O thread. */
    public CompletableFuture<Void> run(Runnable work) {
        return CompletableFuture.runAsync(work, io);
    }

    /** Runs {@code work} after {@code previous} completes, on an I/O thread, keeping per-request order. */
    public CompletableFuture<Void> then(CompletableFuture<?> previous, Runnable work) {
        return previous.thenRunAsync(work, io);
    }

    @Override
    public void close() {
        io.shutdown();
        try {
            if (!io.awaitTermination(30, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
