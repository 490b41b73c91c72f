package io.tessera.engine.testkit;

import io.tessera.engine.EngineException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Retries a write the engine refused with SLOW_DOWN (every write lane busy), the way a well-behaved
 * client does: after a short, growing, jittered pause, until a patience runs out. Matched by name so
 * that callers compile whether or not the code exists yet.
 *
 * <p>Stateless and thread-safe.
 */
public final class SlowDown {
    private static final long MAX_PAUSE_NANOS = 20_000_000L;

    private SlowDown() {
    }

    public static boolean is(EngineException e) {
        return e.code().name().equals("SLOW_DOWN");
    }

    /**
     * Runs {@code write}, again while it fails with SLOW_DOWN and {@code patience} lasts; counts the
     * retries. The last SLOW_DOWN is rethrown once the patience is spent.
     */
    public static <T> T retry(Supplier<T> write, Duration patience, LongAdder retries) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pause = 200_000L;
        while (true) {
            try {
                return write.get();
            } catch (EngineException e) {
                if (!is(e) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                retries.increment();
                // back-off between attempts, as a client would; not a synchronisation
                LockSupport.parkNanos(pause + ThreadLocalRandom.current().nextLong(pause));
                pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
            }
        }
    }
}
