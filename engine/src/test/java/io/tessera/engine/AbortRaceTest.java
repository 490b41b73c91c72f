package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One abort is final: part uploads racing it with real threads either commit before it (and are
 * removed by it) or are refused; nothing commits after it returned, and their bytes are garbage.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbortRaceTest {
    @TempDir
    Path dir;

    @RepeatedTest(5)
    void abortRacingInFlightPartsIsFinal() throws Exception {
        try (Engine e = TestEngines.open(dir); ExecutorServiceCloser pool = new ExecutorServiceCloser(8)) {
            e.createBucket("b", OWNER);
            String id = e.createUpload("b", "k", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            AtomicBoolean abortReturned = new AtomicBoolean();
            AtomicInteger committedAfterAbort = new AtomicInteger();
            AtomicInteger committed = new AtomicInteger();
            CountDownLatch someCommitted = new CountDownLatch(3);

            // Writers that stream their bytes before the abort and commit only after it returned.
            CountDownLatch lateWritten = new CountDownLatch(3);
            CountDownLatch aborted = new CountDownLatch(1);
            List<Future<ErrorCode>> late = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int number = 9000 + t;
                late.add(pool.submit(() -> {
                    try (BodyWriter<PartInfo> w = e.beginUploadPart("b", "k", id, number, PartOptions.DEFAULT)) {
                        w.write(ByteBuffer.wrap(TestEngines.bytes(number, 200_000)));
                        lateWritten.countDown();
                        aborted.await();
                        w.commit(BodyExpectations.NONE);
                        return null;
                    } catch (EngineException ex) {
                        return ex.code();
                    }
                }));
            }

            // Uploaders that keep racing the abort.
            List<Future<?>> racers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                racers.add(pool.submit(() -> {
                    Random rnd = new Random(thread);
                    for (int i = 1; i <= 200; i++) {
                        boolean startedAfterAbort = abortReturned.get();
                        try {
                            TestEngines.part(e, "b", "k", id, thread * 1000 + i,
                                    TestEngines.bytes(i, 1 + rnd.nextInt(100_000)));
                            committed.incrementAndGet();
                            someCommitted.countDown();
                            if (startedAfterAbort) {
                                committedAfterAbort.incrementAndGet();
                            }
                        } catch (EngineException ex) {
                            assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD);
                            return null;
                        }
                    }
                    return null;
                }));
            }

            assertThat(someCommitted.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(lateWritten.await(30, TimeUnit.SECONDS)).isTrue();
            e.abortUpload("b", "k", id);
            abortReturned.set(true);
            aborted.countDown();

            for (Future<?> f : racers) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (Future<ErrorCode> f : late) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(ErrorCode.NO_SUCH_UPLOAD);
            }
            assertThat(committed.get()).isGreaterThanOrEqualTo(3);
            assertThat(committedAfterAbort.get()).isZero();
            assertThatThrownBy(() -> e.listParts("b", "k", id, 1000, 0))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            assertThatThrownBy(() -> e.abortUpload("b", "k", id))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            assertThatThrownBy(() -> TestEngines.part(e, "b", "k", id, 1, new byte[10]))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            // Nothing of the upload is live; everything it wrote is counted dead.
            assertThat(TestEngines.liveBytes(e)).isZero();
            long dead = e.space().values().stream().mapToLong(s -> s.deadBytes()).sum();
            assertThat(dead).isGreaterThanOrEqualTo(3 * 200_000L);
            e.deleteBucket("b");
        }
    }

    /** An executor that is shut down by try-with-resources (Java 17 has no AutoCloseable executors). */
    static final class ExecutorServiceCloser implements AutoCloseable {
        private final ExecutorService pool;

        ExecutorServiceCloser(int threads) {
            pool = Executors.newFixedThreadPool(threads);
        }

        <T> Future<T> submit(java.util.concurrent.Callable<T> task) {
            return pool.submit(task);
        }

        @Override
        public void close() throws InterruptedException {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
