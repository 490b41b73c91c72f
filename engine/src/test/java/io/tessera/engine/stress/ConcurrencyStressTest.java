package io.tessera.engine.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real threads against one engine on tiny segments: writers putting, overwriting and deleting small
 * objects (some spanning several CRC blocks) over a few keys; multipart tasks sharing their uploads
 * (re-uploaded parts, part copies, subset and full completes, aborts); readers of every key, whole
 * and ranged, through the stream and the file slices, and copying; and a collector running full
 * cycles back to back. Every read must return exactly one version the key could hold during the
 * call, or NoSuchKey, and never an error; afterwards every key holds its last acknowledged version,
 * fsck is clean and a full collection leaves no garbage, also after a reopen. In a versioned bucket
 * every writer races on the same few keys ({@link VersionedKeys}): its version order must be the
 * order the writes committed, and an undelete must bring back the version current before the marker.
 *
 * <p>{@value #DEFAULT_SECONDS} s in the normal run; a longer one is
 * {@code mvn -pl engine test -Dtest=ConcurrencyStressTest -Dtessera.stress.seconds=600}
 * ({@code -Dtessera.stress.seed=N} fixes the threads' random choices, not their interleaving;
 * {@code -Dtessera.stress.segment=BYTES} changes the segment size).
 */
class ConcurrencyStressTest {
    static final int DEFAULT_SECONDS = 25;
    static final int KEYS = 8;
    static final int WRITERS = 3;
    static final int MULTIPARTS = 2;
    static final int READERS = 3;
    /** Above the most threads that hold a lane at once (every task plus the collector's copy). */
    static final int LANES = 16;
    static final long SEGMENT = Long.getLong("tessera.stress.segment", 512 * 1024);
    private static final Duration STOP_BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void everyReadSeesAnAcknowledgedOrInFlightVersionWhileGcRuns() {
        int seconds = Integer.getInteger("tessera.stress.seconds", DEFAULT_SECONDS);
        long seed = Long.getLong("tessera.stress.seed", System.nanoTime());
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(seconds).plus(Duration.ofMinutes(5)),
                () -> run(seconds, seed));
    }

    private void run(int seconds, long seed) throws InterruptedException {
        EngineConfig config = TestEngines.config(dir).withSegmentSize(SEGMENT).withMaxWriteLanes(LANES)
                .withPieceSize(64 << 10); // most bodies are blobs of several pieces
        assertThat(config.gc().interval()).as("the test runs collections itself").isZero();
        System.out.println("concurrency stress: seed=" + seed + " seconds=" + seconds);
        long started = System.nanoTime();
        StressWorld world;
        Engine engine = Engine.open(config);
        try {
            engine.createBucket(StressWorld.BUCKET, TestEngines.OWNER);
            world = new StressWorld(engine, KEYS);
            List<StressTask> tasks = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                tasks.add(new ObjectWriterTask(world, seed + tasks.size(), "writer-" + i));
            }
            for (int i = 0; i < MULTIPARTS; i++) {
                tasks.add(new MultipartTask(world, seed + tasks.size(), "multipart-" + i));
            }
            for (int i = 0; i < READERS; i++) {
                tasks.add(new ReaderTask(world, seed + tasks.size(), "reader-" + i));
            }
            tasks.add(new CollectorTask(world, seed + tasks.size(), "collector"));
            List<Thread> threads = new ArrayList<>();
            for (StressTask t : tasks) {
                Thread th = new Thread(t, "stress-" + t.name());
                th.setDaemon(true); // a thread stuck in the engine must not keep the test JVM alive
                threads.add(th);
                th.start();
            }
            // the workload runs for its duration; this is the schedule, not a synchronisation
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            world.stop.set(true);
            long deadline = System.nanoTime() + STOP_BOUND.toNanos();
            long stopping = System.nanoTime();
            StringBuilder stops = new StringBuilder();
            for (Thread th : threads) {
                th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                stops.append(' ').append(th.getName()).append('=').append(elapsed(stopping));
            }
            System.out.println("concurrency stress: threads stopped after" + stops);
            List<Thread> stuck = threads.stream().filter(Thread::isAlive).toList();
            if (!stuck.isEmpty()) {
                // closing the engine under stuck threads could hang too: report and leave it open
                Assertions.fail(stuck.size() + " threads did not stop within " + STOP_BOUND + " of the end ("
                        + world.tally.summary() + "):\n" + stacks(stuck) + world.tally.findings());
            }
            System.out.println("concurrency stress: workload done after " + elapsed(started) + "; "
                    + world.tally.summary());
            new EndStateCheck(world).run(engine, "at the end");
        } finally {
            if (!stressThreadsAlive()) {
                long closing = System.nanoTime();
                engine.close();
                System.out.println("concurrency stress: closed in " + elapsed(closing));
            }
        }
        long reopening = System.nanoTime();
        try (Engine reopened = Engine.open(config)) {
            System.out.println("concurrency stress: reopened in " + elapsed(reopening));
            new EndStateCheck(world).run(reopened, "after reopening");
        }
        String report = "concurrency stress (seed " + seed + ", " + seconds + " s, " + elapsed(started) + " in all): "
                + world.tally.summary();
        System.out.println(report + world.tally.findings());
        assertThat(world.tally.clean()).as(report + world.tally.findings()).isTrue();
    }

    private static boolean stressThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("stress-") && t.isAlive());
    }

    private static String elapsed(long startedNanos) {
        return String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    private static String stacks(List<Thread> threads) {
        return threads.stream().map(t -> t.getName() + " " + t.getState() + "\n    "
                + Arrays.stream(t.getStackTrace()).limit(25).map(Object::toString)
                        .collect(Collectors.joining("\n    ")))
                .collect(Collectors.joining("\n"));
    }
}
