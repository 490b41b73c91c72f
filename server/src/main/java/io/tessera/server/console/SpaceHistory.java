package io.tessera.server.console;

import io.tessera.engine.Engine;
import io.tessera.server.metrics.EngineSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@code capacity} space samples, in a ring: what the console's charts draw. {@link #start} samples
 * an engine on a thread of its own every interval (a sample reads the metadata: never on an event loop);
 * readers ask for the samples after the last one they have, so a page that polls fetches only what is new.
 *
 * <p>Thread-safe.
 */
public final class SpaceHistory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceHistory.class);

    private final SpaceSample[] ring;
    private final Duration interval;
    private long lastSeq;
    private ScheduledExecutorService sampler;

    public SpaceHistory(int capacity, Duration interval) {
        this.ring = new SpaceSample[capacity];
        this.interval = interval;
    }

    public Duration interval() {
        return interval;
    }

    public int capacity() {
        return ring.length;
    }

    /** Samples {@code engine} now and then every interval, until {@link #close()}. */
    public synchronized void start(Engine engine) {
        if (sampler != null) {
            throw new IllegalStateException("already sampling");
        }
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tessera-console-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(() -> sample(engine), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample(Engine engine) {
        try {
            EngineSnapshot s = EngineSnapshot.take(engine);
            synchronized (this) {
                add(SpaceSample.of(lastSeq + 1, s));
            }
        } catch (RuntimeException e) { // the engine closing under the last sample; the next one tries again
            LOG.debug("space sample failed: {}", e.toString());
        }
    }

    /** Keeps {@code s}, dropping the oldest sample when full; its number must follow the last one's. */
    public synchronized void add(SpaceSample s) {
        if (s.seq() != lastSeq + 1) {
            throw new IllegalArgumentException("sample " + s.seq() + " does not follow " + lastSeq);
        }
        ring[(int) ((s.seq() - 1) % ring.length)] = s;
        lastSeq = s.seq();
    }

    /** The samples kept whose number is above {@code seq}, oldest first. */
    public synchronized List<SpaceSample> after(long seq) {
        long first = Math.max(Math.max(seq, 0) + 1, lastSeq - ring.length + 1);
        List<SpaceSample> out = new ArrayList<>((int) Math.max(0, lastSeq - first + 1));
        for (long n = first; n <= lastSeq; n++) {
            out.add(ring[(int) ((n - 1) % ring.length)]);
        }
        return out;
    }

    /** Stops sampling and waits (bounded) for a sample under way: the engine may close after this. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = sampler;
        }
        if (s == null) {
            return;
        }
        s.shutdown();
        try {
            if (!s.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("a space sample is still running after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
