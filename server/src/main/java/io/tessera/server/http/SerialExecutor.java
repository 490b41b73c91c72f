package io.tessera.server.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool (the engine's I/O threads): the
 * writes of one request body stay in order without a thread of their own, and consecutive tasks run
 * in one pool turn. Each task must catch its own failures; one that throws is logged and the next one
 * still runs. When the pool refuses work (it is shutting down) tasks run on the submitting thread, so
 * that clean-up tasks still release what they hold.
 *
 * <p>Thread-safe.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drain();
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                try {
                    r.run();
                } catch (Throwable t) {
                    LOG.error("a serial task failed", t);
                }
            }
            scheduled.set(false);
            if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
