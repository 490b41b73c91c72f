package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** More bodies than write lanes plus I/O threads: the engine answers, it never parks its threads. */
class AsyncEngineLanesTest {
    private static final int LANES = 2;
    private static final int IO_THREADS = 2;

    @TempDir
    Path dir;

    private Engine open() {
        return Engine.open(TestEngines.config(dir).withMaxWriteLanes(LANES).withLaneWait(Duration.ofMillis(300)));
    }

    private static PutOptions options() {
        return PutOptions.of(ObjectMetadata.EMPTY, OWNER);
    }

    @Test
    void bodiesBegunOnIoThreadsNeverBlockThemWhenLanesRunOut() throws Exception {
        try (Engine e = open(); AsyncEngine async = new AsyncEngine(e, IO_THREADS)) {
            e.createBucket("b", OWNER);
            List<CompletableFuture<BodyWriter<ObjectInfo>>> begun = new ArrayList<>();
            for (int i = 0; i < LANES + IO_THREADS + 2; i++) {
                String key = "k" + i;
                begun.add(async.call(en -> en.beginPutObject("b", key, options())));
            }
            // every I/O thread is still free for other work
            assertThat(async.call(Engine::listBuckets).get(10, TimeUnit.SECONDS)).hasSize(1);
            List<BodyWriter<ObjectInfo>> writers = new ArrayList<>();
            int slowDowns = 0;
            for (CompletableFuture<BodyWriter<ObjectInfo>> f : begun) {
                try {
                    writers.add(f.get(10, TimeUnit.SECONDS));
                } catch (ExecutionException ex) {
                    assertThat(ex.getCause()).isInstanceOfSatisfying(EngineException.class,
                            ee -> assertThat(ee.code()).isEqualTo(ErrorCode.SLOW_DOWN));
                    slowDowns++;
                }
            }
            assertThat(writers).hasSize(LANES);
            assertThat(slowDowns).isEqualTo(IO_THREADS + 2);
            writers.forEach(BodyWriter::close);
        }
    }

    @Test
    void aWriteWaitsForAFreedLaneWithoutAThreadOrGetsSlowDown() throws Exception {
        try (Engine e = open(); AsyncEngine async = new AsyncEngine(e, IO_THREADS)) {
            e.createBucket("b", OWNER);
            List<BodyWriter<ObjectInfo>> held = new ArrayList<>();
            for (int i = 0; i < LANES; i++) {
                String key = "held" + i;
                held.add(async.callWithSlot((en, slot) -> en.beginPutObject("b", key, options(), slot))
                        .get(10, TimeUnit.SECONDS));
            }
            CompletableFuture<ObjectInfo> waiting = async.callWithSlot((en, slot) -> {
                try (BodyWriter<ObjectInfo> w = en.beginPutObject("b", "late", options(), slot)) {
                    w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    return w.commit(BodyExpectations.NONE);
                }
            });
            // nothing frees a lane within the bound: SlowDown, and the I/O threads stayed free
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> waiting.get(10, TimeUnit.SECONDS));
            assertThat(refused.getCause()).isInstanceOfSatisfying(EngineException.class,
                    ee -> assertThat(ee.code()).isEqualTo(ErrorCode.SLOW_DOWN));

            CompletableFuture<ObjectInfo> next = async.callWithSlot((en, slot) -> {
                try (BodyWriter<ObjectInfo> w = en.beginPutObject("b", "next", options(), slot)) {
                    w.write(ByteBuffer.wrap(new byte[] {4, 5}));
                    return w.commit(BodyExpectations.NONE);
                }
            });
            held.get(0).close(); // a lane frees up: the waiting write gets it
            assertThat(next.get(10, TimeUnit.SECONDS).size()).isEqualTo(2);
            held.get(1).close();
            assertThat(e.busyWriteLanes()).isZero();
        }
    }
}
