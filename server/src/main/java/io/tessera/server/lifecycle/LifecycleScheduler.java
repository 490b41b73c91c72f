package io.tessera.server.lifecycle;

import io.tessera.engine.BucketInfo;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one lifecycle scheduler: a single thread of its own that, every interval and on demand, sweeps
 * the buckets that have a lifecycle configuration ({@link LifecycleSweeper}), deciding with its injected
 * clock and issuing aborts and deletes as ordinary engine commands through the synchronous engine API. It
 * never runs on an event loop or an engine I/O thread.
 *
 * <p>Every deadline S3 lifecycle rules produce is a midnight UTC, so nothing new becomes due between two
 * midnights: a periodic tick sweeps a bucket only when its configuration changed or a UTC day began since its
 * last complete sweep. A node with many objects thus lists them once a day, not once a minute. A sweep that
 * failed (an I/O error, a busy engine) is tried again at the next tick.
 *
 * <p>In a group every member runs a scheduler, but only the one the engine lets issue background commands
 * (the leader, {@link Engine#mayIssueBackgroundCommands()}) sweeps: the others' ticks, forced ones
 * included, do nothing, so each action reaches the group's log once. A member that becomes leader has no
 * sweep on record and sweeps every bucket at its next tick.
 *
 * <p>Thread-safe: the sweep state is confined to the scheduler thread.
 */
public final class LifecycleScheduler implements AutoCloseable {
    /** How often the periodic tick runs. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    /** How long {@link #close()} waits for a sweep in progress to notice it should stop. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleScheduler.class);

    private final Engine engine;
    private final Clock clock;
    private final LifecycleSweeper sweeper;
    private final ScheduledExecutorService thread;
    /** Per bucket: the digest of the configuration last swept completely, and the UTC day of that sweep. */
    private final Map<String, Swept> swept = new HashMap<>();
    private volatile boolean closed;

    private record Swept(byte[] digest, long day) {
    }

    private LifecycleScheduler(Engine engine, Clock clock, int pageSize) {
        this.engine = engine;
        this.clock = clock;
        this.sweeper = new LifecycleSweeper(engine, pageSize);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tessera-lifecycle");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the scheduler; its first periodic tick runs one {@code interval} from now. */
    public static LifecycleScheduler start(Engine engine, Clock clock, Duration interval, int pageSize) {
        LifecycleScheduler s = new LifecycleScheduler(engine, clock, pageSize);
        long ms = interval.toMillis();
        s.thread.scheduleWithFixedDelay(() -> s.tick(false), ms, ms, TimeUnit.MILLISECONDS);
        return s;
    }

    /**
     * Sweeps every bucket with a lifecycle configuration now, on the scheduler's thread (after a sweep in
     * progress), whether or not it was swept today; on a group member that is not the leader, nothing.
     *
     * @return what the sweep did; fails when the scheduler is closed
     */
    public CompletableFuture<SweepReport> runNow() {
        CompletableFuture<SweepReport> done = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    done.complete(tick(true));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("the lifecycle scheduler is closed", e));
        }
        return done;
    }

    /** One pass over the buckets; never throws, so that the periodic schedule goes on. */
    private SweepReport tick(boolean force) {
        if (!engine.mayIssueBackgroundCommands()) {
            swept.clear(); // should this member lead later, it sweeps every bucket afresh
            return SweepReport.NONE;
        }
        Instant now = clock.instant();
        long day = now.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
        SweepReport total = SweepReport.NONE;
        Set<String> present = new HashSet<>();
        try {
            for (BucketInfo b : engine.listBuckets()) {
                if (closed) {
                    break;
                }
                present.add(b.name());
                total = total.plus(sweepBucket(b.name(), now, day, force));
            }
        } catch (RuntimeException e) {
            LOG.warn("lifecycle sweep stopped: {}", e.toString());
        }
        swept.keySet().retainAll(present);
        return total;
    }

    private SweepReport sweepBucket(String bucket, Instant now, long day, boolean force) {
        try {
            byte[] doc = LifecycleStore.raw(engine, bucket);
            if (doc == null) {
                swept.remove(bucket);
                return SweepReport.NONE;
            }
            byte[] digest = digest(doc);
            Swept last = swept.get(bucket);
            if (!force && last != null && last.day() == day && Arrays.equals(last.digest(), digest)) {
                return SweepReport.NONE;
            }
            SweepReport r = sweeper.sweep(bucket, LifecycleRules.fromStored(doc), now, () -> closed);
            if (r == null) {
                return SweepReport.NONE;
            }
            swept.put(bucket, new Swept(digest, day));
            if (r.abortedUploads() > 0 || r.expiredObjects() > 0) {
                LOG.info("lifecycle of bucket {}: aborted {} uploads, expired {} objects", bucket,
                        r.abortedUploads(), r.expiredObjects());
            }
            return r;
        } catch (EngineException e) {
            if (e.code() != ErrorCode.NO_SUCH_BUCKET) {
                LOG.warn("lifecycle of bucket {}: {}; trying again at the next tick", bucket, e.toString());
            }
            return SweepReport.NONE;
        } catch (RuntimeException e) {
            LOG.warn("lifecycle of bucket {}: {}; trying again at the next tick", bucket, e.toString());
            return SweepReport.NONE;
        }
    }

    private static byte[] digest(byte[] doc) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(doc);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the scheduler: a sweep in progress ends after its current item (without interrupting an engine
     * call), waiting at most 30 s. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the lifecycle sweep did not stop within {} s", STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
