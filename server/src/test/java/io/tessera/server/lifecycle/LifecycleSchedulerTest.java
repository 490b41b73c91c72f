package io.tessera.server.lifecycle;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.testkit.TestEngines;
import io.tessera.server.it.MovableClock;
import io.tessera.server.xml.LifecycleConfiguration;
import io.tessera.server.xml.LifecycleConfiguration.Expiration;
import io.tessera.server.xml.LifecycleConfiguration.Filter;
import io.tessera.server.xml.LifecycleConfiguration.Rule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's periodic ticks on a real engine: due actions happen without anyone asking, a bucket is
 * swept again the same day when its configuration changes and again when a new UTC day begins, and a
 * closed scheduler refuses work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LifecycleSchedulerTest {
    private static final Instant T0 = Instant.parse("2026-03-10T08:00:00Z");
    /** When objects written at T0 expire under a one-day rule. */
    private static final Instant DUE = Instant.parse("2026-03-12T00:00:00Z");

    @TempDir
    Path dir;

    private static Rule expire(String id, String prefix, int days) {
        return new Rule(id, null, new Filter(prefix), "Enabled", new Expiration(days, null), null);
    }

    private static LifecycleRules rules(Rule... rules) {
        return LifecycleRules.validate(new LifecycleConfiguration(List.of(rules)));
    }

    @Test
    void ticksApplyDueRulesAndSweepAgainOnANewConfigurationOrDay() {
        MovableClock clock = new MovableClock();
        clock.set(T0);
        try (Engine e = Engine.open(TestEngines.config(dir).withClock(clock))) {
            e.createBucket("b", OWNER);
            for (String k : List.of("a/1", "b/1", "c/1")) {
                TestEngines.put(e, "b", k, new byte[] {1});
            }
            LifecycleStore.save(e, "b", rules(expire("a", "a/", 1), expire("c", "c/", 2)));
            try (LifecycleScheduler s = LifecycleScheduler.start(e, clock, Duration.ofMillis(20), 2)) {
                clock.set(DUE.plus(Duration.ofHours(1)));
                await("a/1 expires", () -> !exists(e, "a/1"));
                assertThat(exists(e, "c/1")).isTrue();

                LifecycleStore.save(e, "b", rules(expire("a", "a/", 1), expire("b", "b/", 1), expire("c", "c/", 2)));
                await("b/1 expires under the new rule, the same day", () -> !exists(e, "b/1"));
                assertThat(exists(e, "c/1")).isTrue();

                clock.set(DUE.plus(Duration.ofDays(1)));
                await("c/1 expires the next day", () -> !exists(e, "c/1"));
            }
        }
    }

    @Test
    void aClosedSchedulerRefusesWork() throws Exception {
        try (Engine e = TestEngines.open(dir)) {
            LifecycleScheduler s = LifecycleScheduler.start(e, new MovableClock(), Duration.ofHours(1), 10);
            assertThat(s.runNow().get(10, TimeUnit.SECONDS)).isEqualTo(SweepReport.NONE);
            s.close();
            s.close();
            Throwable t = catchThrowable(() -> s.runNow().get(10, TimeUnit.SECONDS));
            assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aBucketThatFailsDoesNotStopTheOthers() throws Exception {
        MovableClock clock = new MovableClock();
        clock.set(T0);
        try (Engine e = Engine.open(TestEngines.config(dir).withClock(clock))) {
            for (String b : List.of("bad", "good")) {
                e.createBucket(b, OWNER);
                TestEngines.put(e, b, "a/1", new byte[] {1});
            }
            // a stored document that does not parse (only a bug or a hand edit could leave one)
            e.setBucketConfig("bad", LifecycleStore.DOCUMENT, new byte[] {'<'});
            LifecycleStore.save(e, "good", rules(expire("a", "a/", 1)));
            try (LifecycleScheduler s = LifecycleScheduler.start(e, clock, Duration.ofHours(1), 10)) {
                clock.set(DUE);
                assertThat(s.runNow().get(10, TimeUnit.SECONDS)).isEqualTo(new SweepReport(1, 0, 1));
            }
            assertThat(exists(e, "bad", "a/1")).isTrue();
        }
    }

    private static boolean exists(Engine e, String key) {
        return exists(e, "b", key);
    }

    private static boolean exists(Engine e, String bucket, String key) {
        try {
            e.headObject(bucket, key);
            return true;
        } catch (EngineException ex) {
            if (ex.code() == ErrorCode.NO_SUCH_KEY) {
                return false;
            }
            throw ex;
        }
    }

    /** A bounded wait on a condition the scheduler's ticks bring about. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }
}
