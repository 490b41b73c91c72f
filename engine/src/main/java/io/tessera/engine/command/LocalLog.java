package io.tessera.engine.command;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.meta.MetaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command log of a node on its own (a group of one): the metadata store's write-ahead log is the
 * log. One thread applies the commands in the order they were submitted, each in its own batch that
 * carries its index, and makes a whole run of them durable with one WAL sync before any of them is
 * answered (group commit), so a burst of small writes costs one fsync, not one each.
 *
 * <p>Every command is encoded and decoded on its way in, so what applies is exactly what a replicated
 * log would carry.
 *
 * <p>A command is visible to readers from the moment it applies, up to one WAL sync before it is
 * answered; a process crash (kill -9) cannot lose it then, only the loss of the machine's power can.
 *
 * <p>Thread-safe.
 */
public final class LocalLog implements CommandLog {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLog.class);
    /** Commands applied before one WAL sync, at most. */
    private static final int GROUP = 256;

    private final Apply apply;
    private final MetaStore meta;
    private final Duration answerWait;
    private final Consumer<Command<?>> onFailure;
    private final BlockingQueue<Submitted> queue = new LinkedBlockingQueue<>();
    private final Thread applier;
    /** Held by the applier while it applies a group; tests hold it to keep commands from applying. */
    private final ReentrantLock applying = new ReentrantLock();
    private volatile boolean closed;
    /** Told of every command applied, with its index and bytes; for tests that replay a log elsewhere. */
    private volatile java.util.function.BiConsumer<Long, byte[]> observer;

    private record Submitted(Command<?> command, CompletableFuture<Apply.Outcome> answer) {
    }

    /** Queued by {@link #close}: the applier stops once it reaches it. */
    private static final Submitted STOP = new Submitted(null, null);

    /**
     * @param onFailure told of a command the node failed to apply (its blobs can go)
     */
    public LocalLog(Apply apply, MetaStore meta, Duration answerWait, Consumer<Command<?>> onFailure) {
        this.apply = apply;
        this.meta = meta;
        this.answerWait = answerWait;
        this.onFailure = onFailure;
        this.applier = new Thread(this::run, "tessera-apply");
        applier.setDaemon(true);
        applier.start();
    }

    @Override
    public <R> R submit(Command<R> command) {
        Command<?> logged = CommandCodec.decode(CommandCodec.encode(command));
        CompletableFuture<Apply.Outcome> answer = new CompletableFuture<>();
        if (closed) {
            throw closedError();
        }
        queue.add(new Submitted(logged, answer));
        if (closed && queue.remove(new Submitted(logged, answer))) {
            throw closedError();
        }
        Apply.Outcome outcome;
        try {
            outcome = answer.get(answerWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new EngineException(ErrorCode.SLOW_DOWN, "the command log did not answer within " + answerWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ErrorCode.SLOW_DOWN, "interrupted while waiting for the command log");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return outcome.get();
    }

    private void run() {
        List<Submitted> group = new ArrayList<>(GROUP);
        List<Apply.Outcome> outcomes = new ArrayList<>(GROUP);
        boolean stop = false;
        while (!stop) {
            try {
                group.add(queue.take());
                queue.drainTo(group, GROUP - 1);
                stop = group.remove(STOP);
                if (group.isEmpty()) {
                    continue;
                }
                applying.lockInterruptibly();
                try {
                    applyGroup(group, outcomes);
                } finally {
                    applying.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
            } catch (RuntimeException | Error e) {
                LOG.error("the command applier failed", e);
                group.forEach(s -> s.answer().completeExceptionally(e));
            } finally {
                group.clear();
                outcomes.clear();
            }
        }
        Submitted left;
        while ((left = queue.poll()) != null) {
            if (left != STOP) {
                left.answer().completeExceptionally(closedError());
            }
        }
    }

    private void applyGroup(List<Submitted> group, List<Apply.Outcome> outcomes) {
        List<Submitted> applied = new ArrayList<>(group.size());
        for (Submitted s : group) {
            try {
                long index = apply.appliedIndex() + 1;
                outcomes.add(apply.apply(index, s.command()));
                applied.add(s);
                java.util.function.BiConsumer<Long, byte[]> o = observer;
                if (o != null) {
                    o.accept(index, CommandCodec.encode(s.command()));
                }
            } catch (RuntimeException e) {
                onFailure.accept(s.command());
                s.answer().completeExceptionally(e);
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        try {
            meta.syncWal();
        } catch (RuntimeException e) {
            applied.forEach(s -> s.answer().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < applied.size(); i++) {
            applied.get(i).answer().complete(outcomes.get(i));
        }
    }

    /**
     * Keeps commands from applying until the returned hold is closed (they queue meanwhile): for tests
     * that need a write to stay between its durable bytes and its commit.
     */
    public AutoCloseable hold() {
        applying.lock();
        return applying::unlock;
    }

    /** Tells {@code o} of every command applied from now on (its index and bytes), on the applying thread. */
    public void observe(java.util.function.BiConsumer<Long, byte[]> o) {
        observer = o;
    }

    private static EngineException closedError() {
        return new EngineException(ErrorCode.CLOSED, "the engine is closed");
    }

    /** Stops taking commands, applies those already submitted, and stops the applying thread. */
    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        try {
            applier.join(answerWait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (applier.isAlive()) {
            LOG.warn("the command applier did not stop within {}", answerWait);
        }
    }
}
