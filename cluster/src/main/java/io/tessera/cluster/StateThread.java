package io.tessera.cluster;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one thread that calls a {@link ReplicatedState}: applies, persists, checkpoints and installs
 * run on it in the order they were handed over, so an apply queued before a checkpoint is in it, and
 * a read barrier answered after an apply sees it (Ozone's single apply executor, for the same reason).
 *
 * <p>Thread-safety: {@link #submit} may be called from any thread. Nothing that runs on this thread
 * waits for another task of it: callers that must wait do so from their own thread, with a bound.
 */
final class StateThread implements AutoCloseable {
    private final ReplicatedState state;
    private final ExecutorService executor;

    StateThread(ReplicatedState state, String name) {
        this.state = state;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code call} on the state thread after everything handed over before it. */
    <T> CompletableFuture<T> submit(Function<ReplicatedState, T> call) {
        return CompletableFuture.supplyAsync(() -> call.apply(state), executor);
    }

    /** Runs {@code call} and waits for it from the calling thread (never the state thread), within {@code bound}. */
    <T> T call(Function<ReplicatedState, T> call, Duration bound, String what) throws IOException {
        try {
            return submit(call).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + what);
        } catch (TimeoutException e) {
            throw new IOException(what + " did not finish within " + bound, e);
        } catch (ExecutionException e) {
            throw new IOException(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            // A task may be a long persist; the state is left to its owner after this bound.
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
