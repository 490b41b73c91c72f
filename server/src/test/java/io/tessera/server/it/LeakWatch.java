package io.tessera.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Catches the leak reports of Netty's {@link ResourceLeakDetector} (which Surefire runs at the
 * paranoid level): an appender on the detector's logger records every {@code LEAK:} report, and
 * {@link #assertNoLeaks()} first makes the reports due (a garbage collection that provably cleared weak
 * references, then buffer allocations, which is when the detector reports what the collector found).
 * A report that names a buffer leaked before {@link #install()} was called counts too: Netty reports
 * each leak once per JVM, so a leak found here fails whichever test looks.
 *
 * <p>Thread-safe.
 */
final class LeakWatch extends AppenderBase<ILoggingEvent> {
    private static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

    private final List<String> reports = new ArrayList<>();
    private final ResourceLeakDetector.Level previousLevel;

    private LeakWatch(ResourceLeakDetector.Level previousLevel) {
        this.previousLevel = previousLevel;
    }

    /** Starts recording leak reports (and makes sure every buffer is tracked). */
    static LeakWatch install() {
        LeakWatch w = new LeakWatch(ResourceLeakDetector.getLevel());
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        w.setName("leak-watch");
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
        w.setContext(logger.getLoggerContext());
        w.start();
        logger.addAppender(w);
        return w;
    }

    /** Stops recording and restores the detection level. */
    void uninstall() {
        ((Logger) LoggerFactory.getLogger(DETECTOR_LOGGER)).detachAppender(this);
        stop();
        ResourceLeakDetector.setLevel(previousLevel);
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLevel().isGreaterOrEqual(Level.ERROR) && e.getFormattedMessage().contains("LEAK")) {
            synchronized (reports) {
                reports.add(e.getFormattedMessage());
            }
        }
    }

    /** Collects garbage, lets the detector report, and fails if anything leaked. */
    void assertNoLeaks() {
        for (int round = 0; round < 2; round++) {
            collectGarbage();
            for (int i = 0; i < 64; i++) {
                // Allocating is when the detector drains its queue of collected, unreleased buffers.
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                ByteBuf heap = Unpooled.buffer(64);
                pooled.release();
                heap.release();
            }
        }
        synchronized (reports) {
            if (!reports.isEmpty()) {
                throw new AssertionError(reports.size() + " Netty buffer leak(s) reported:\n" + String.join("\n\n", reports));
            }
        }
    }

    /** Runs the collector until a weakly held object is provably collected and enqueued (bounded). */
    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> canary = new WeakReference<>(new Object(), queue);
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            while (queue.poll() == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the garbage collector did not clear a weak reference within 10 s");
                }
                System.gc();
                if (queue.remove(100) != null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while collecting garbage", e);
        }
        if (canary.get() != null) {
            throw new AssertionError("canary still reachable");
        }
    }
}
