package io.tessera.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The engine for callers that must never block (an event loop): every call runs on the engine's own
 * I/O threads and completes a future. Calls for one request that must stay in order (the writes of
 * one body) are chained by the caller on the returned futures.
 *
 * <p>Thread-safe. Closing stops the threads after queued work finishes; it does not close the engine.
 */
public final class AsyncEngine implements AutoCloseable {
    private final Engine engine;
    private final ExecutorService io;

    public AsyncEngine(Engine engine, int threads) {
        this.engine = engine;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> new IoThread(r, "tessera-io-" + n.incrementAndGet());
        this.io = Executors.newFixedThreadPool(threads, tf);
    }

    public Engine engine() {
        return engine;
    }

    /** Runs {@code op} against the engine on an I/O thread. */
    public <T> CompletableFuture<T> call(Function<Engine, T> op) {
        return CompletableFuture.supplyAsync(() -> op.apply(engine), io);
    }

    /**
     * Runs {@code op} with a reserved write slot, for calls that write a body (PutObject, UploadPart,
     * copies): the slot is awaited without holding any thread while every write lane is busy, then
     * {@code op} runs on an I/O thread. Fails with SLOW_DOWN when no lane frees up within
     * {@link EngineConfig#laneWait()} or too many writes already wait. A slot {@code op} did not
     * hand to a writer is given back when it returns. A small PutObject of announced length needs no
     * slot ({@link EngineConfig#isSmallBody}): {@link Engine#beginPutObject(String, String, PutOptions)}
     * starts it without a lane, so it runs with {@link #call} or {@link #run} whatever the lanes do.
     */
    public <T> CompletableFuture<T> callWithSlot(BiFunction<Engine, WriteSlot, T> op) {
        return engine.reserveSlot(io).thenApplyAsync(slot -> {
            try (slot) {
                return op.apply(engine, slot);
            }
        }, io);
    }

    /** Runs blocking work that belongs to the engine (such as a {@link BodyWriter} call) on an I/O thread. */
    public CompletableFuture<Void> run(Runnable work) {
        return CompletableFuture.runAsync(work, io);
    }

    /** Runs {@code work} after {@code previous} completes, on an I/O thread, keeping per-request order. */
    public CompletableFuture<Void> then(CompletableFuture<?> previous, Runnable work) {
        return previous.thenRunAsync(work, io);
    }

    /** The engine's I/O threads: the engine never lets one of them wait for a write lane. */
    static final class IoThread extends Thread {
        IoThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
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
