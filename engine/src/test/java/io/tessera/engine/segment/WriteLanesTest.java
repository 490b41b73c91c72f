package io.tessera.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteLanesTest {
    @TempDir
    Path dir;

    /** Segment rows kept in memory; {@code failSeals} makes that many SEALED writes fail. */
    static final class Allocator implements SegmentAllocator {
        final AtomicLong next = new AtomicLong(1);
        final AtomicInteger failSeals = new AtomicInteger();
        final List<Long> sealed = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public long allocate() {
            return next.getAndIncrement();
        }

        @Override
        public void sealed(long segmentId, long size) {
            if (failSeals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("metadata store unavailable");
            }
            sealed.add(segmentId);
        }

        @Override
        public void abandon(long segmentId) {
            sealed.remove(segmentId);
        }
    }

    private WriteLanes lanes(Allocator a, int max) {
        DiskSpace space = DiskSpace.of(dir, 0, 16 * 1024, SegmentIo.DEFAULT);
        return new WriteLanes(dir, SegmentIo.DEFAULT, space, a, 16 * 1024, max, 2, System::currentTimeMillis);
    }

    @Test
    void aPinIsAlwaysSeenWhileItIsHeld() throws Exception {
        try (WriteLanes lanes = lanes(new Allocator(), 1)) {
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicInteger unseen = new AtomicInteger();
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 200_000; i++) {
                        lanes.pin(42);
                        if (!lanes.hasUncommitted(42)) {
                            unseen.incrementAndGet();
                        }
                        lanes.unpin(42);
                    }
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            pool.shutdown();
            assertThat(unseen).as("pins a concurrent unpin made invisible").hasValue(0);
            assertThat(lanes.hasUncommitted(42)).isFalse();
        }
    }

    @Test
    void aFailedSealRowNeitherLeaksTheLaneNorLosesTheSeal() throws Exception {
        Allocator a = new Allocator();
        try (WriteLanes lanes = lanes(a, 1)) {
            WriteLane lane = lanes.tryAcquire();
            RecordWriter w = new RecordWriter(lanes, lane, new RecordHeader(RecordKind.OBJECT, 1, 0, 32 * 1024, null, 0),
                    new byte[16], false);
            w.write(ByteBuffer.allocate(32 * 1024)); // past the segment limit: releasing seals
            a.failSeals.set(1);
            RecordWriter.Sealed sealed = w.seal();
            long segment = sealed.location().segmentId();
            assertThat(lanes.busyLanes()).isZero();
            assertThat(lanes.sealPending(segment)).isTrue();
            sealed.release();

            WriteLane again = lanes.tryAcquire();
            assertThat(again).as("the only lane came back").isNotNull();
            lanes.release(again);
            lanes.retryPendingRows();
            assertThat(a.sealed).contains(segment);
            assertThat(lanes.sealPending(segment)).isFalse();
        }
    }

    @Test
    void waitersGetAFreedLaneOrAnAnswerWithinTheirBound() throws Exception {
        ExecutorService io = Executors.newSingleThreadExecutor();
        try (WriteLanes lanes = lanes(new Allocator(), 1)) {
            WriteLane held = lanes.tryAcquire();
            assertThat(lanes.tryAcquire()).isNull();

            CompletableFuture<WriteLane> first = lanes.acquire(Duration.ofMinutes(1), io);
            CompletableFuture<WriteLane> second = lanes.acquire(Duration.ofMillis(50), io);
            CompletableFuture<WriteLane> third = lanes.acquire(Duration.ofMinutes(1), io);
            assertThat(third).isCompletedExceptionally(); // only 2 may wait
            ExecutionException timedOut = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> second.get(10, TimeUnit.SECONDS));
            assertThat(timedOut.getCause()).isInstanceOf(WriteLanes.LanesBusyException.class);

            lanes.release(held);
            WriteLane handed = first.get(10, TimeUnit.SECONDS);
            assertThat(handed).isSameAs(held);
            lanes.release(handed);
        } finally {
            io.shutdownNow();
        }
    }

    /** The blocking wait of a piece append: the lane another thread releases, or an answer within the bound. */
    @Test
    void anAppendWaitsOnItsThreadForAReleasedLaneOrGivesUpInTime() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (WriteLanes lanes = lanes(new Allocator(), 1)) {
            WriteLane held = lanes.tryAcquire();
            long started = System.nanoTime();
            org.junit.jupiter.api.Assertions.assertThrows(WriteLanes.LanesBusyException.class,
                    () -> lanes.acquire(Duration.ofMillis(100)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

            CompletableFuture<WriteLane> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return lanes.acquire(Duration.ofMinutes(1));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, other);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lanes.waitingForLanes() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // until the waiter is queued, so that the release below goes to it
            }
            assertThat(lanes.waitingForLanes()).isOne();
            lanes.release(held);
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isSameAs(held);
            assertThat(lanes.busyLanes()).isOne();
            lanes.release(held);
            assertThat(lanes.busyLanes()).isZero();
        } finally {
            other.shutdownNow();
        }
    }
}
