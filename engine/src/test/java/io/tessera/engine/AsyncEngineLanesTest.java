package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static io.tessera.engine.testkit.TestEngines.sized;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * More large bodies than write lanes plus I/O threads, begun and written on the I/O threads and left
 * waiting for their clients: every one begins, none holds a thread or a lane while it waits, and all of
 * them finish.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncEngineLanesTest {
    private static final int LANES = 2;
    private static final int IO_THREADS = 2;
    private static final int PIECE = 64 << 10;
    private static final int BODY = 5 * PIECE + 7;

    @TempDir
    Path dir;

    private Engine open() {
        return Engine.open(TestEngines.config(dir).withMaxWriteLanes(LANES).withLaneWait(Duration.ofMillis(300))
                .withPieceSize(PIECE));
    }

    @Test
    void bodiesWaitingForTheirClientsHoldNeitherAnIoThreadNorALane() throws Exception {
        try (Engine e = open(); AsyncEngine async = new AsyncEngine(e, IO_THREADS)) {
            e.createBucket("b", OWNER);
            int count = 3 * (LANES + IO_THREADS);
            List<BodyWriter<ObjectInfo>> writers = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "k" + i;
                byte[] body = TestEngines.bytes(i, BODY);
                BodyWriter<ObjectInfo> w = async.call(en -> en.beginPutObject("b", key, sized(BODY)))
                        .get(10, TimeUnit.SECONDS);
                // the first half, on an I/O thread: whole pieces are appended, and the lanes go back
                async.run(() -> w.write(ByteBuffer.wrap(body, 0, BODY / 2))).get(10, TimeUnit.SECONDS);
                writers.add(w);
                bodies.add(body);
            }
            assertThat(e.busyWriteLanes()).isZero();
            // every I/O thread is still free for other work
            assertThat(async.call(Engine::listBuckets).get(10, TimeUnit.SECONDS)).hasSize(1);

            List<CompletableFuture<ObjectInfo>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                BodyWriter<ObjectInfo> w = writers.get(i);
                byte[] body = bodies.get(i);
                done.add(async.call(en -> {
                    w.write(ByteBuffer.wrap(body, BODY / 2, BODY - BODY / 2));
                    return w.commit(BodyExpectations.NONE);
                }));
            }
            for (CompletableFuture<ObjectInfo> f : done) {
                assertThat(f.get(30, TimeUnit.SECONDS).size()).isEqualTo(BODY);
            }
            writers.forEach(BodyWriter::close);
            assertThat(e.busyWriteLanes()).isZero();
            for (int i = 0; i < count; i++) {
                assertThat(TestEngines.read(e, "b", "k" + i)).as("k%d", i).isEqualTo(bodies.get(i));
            }
        }
    }
}
