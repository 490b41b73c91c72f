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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large body holds a write lane only while its bytes are appended, not while its client is silent:
 * however many bodies stall half-way, the lanes are free and other writes go on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SilentBodiesTest {
    private static final int LANES = 4;
    private static final int PIECE = 64 << 10;
    /** Larger than a piece, and not a multiple of one. */
    private static final int BODY = (1 << 20) + 13;
    /** What each stalled body sends before it goes silent: several whole pieces and part of one more. */
    private static final int SENT_FIRST = 3 * PIECE + 1000;

    @TempDir
    Path dir;

    private Engine open() {
        return Engine.open(TestEngines.config(dir).withMaxWriteLanes(LANES).withLaneWait(Duration.ofMillis(300))
                .withPieceSize(PIECE));
    }

    @Test
    void bodiesStalledMidWayHoldNoLaneAndOtherWritesGoOn() {
        try (Engine e = open()) {
            e.createBucket("b", OWNER);
            String uploadId = e.createUpload("b", "multi", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            int stalledCount = 3 * LANES;
            List<BodyWriter<?>> stalled = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            try {
                for (int i = 0; i < stalledCount; i++) {
                    byte[] body = TestEngines.bytes(i, BODY);
                    BodyWriter<?> w = i % 2 == 0
                            ? e.beginPutObject("b", "put" + i, sized(BODY))
                            : e.beginUploadPart("b", "multi", uploadId, i, new PartOptions(null, BODY));
                    stalled.add(w);
                    bodies.add(body);
                    w.write(ByteBuffer.wrap(body, 0, SENT_FIRST));
                }
                assertThat(e.busyWriteLanes()).as("lanes held by silent bodies").isZero();

                // meanwhile a large PutObject and an UploadPart of another upload complete
                byte[] other = TestEngines.bytes(100, BODY);
                TestEngines.put(e, "b", "other", other);
                String otherUpload = e.createUpload("b", "other-multi", UploadOptions.of(ObjectMetadata.EMPTY, OWNER))
                        .uploadId();
                PartInfo otherPart = TestEngines.part(e, "b", "other-multi", otherUpload, 1, other);
                assertThat(otherPart.size()).isEqualTo(BODY);
                assertThat(TestEngines.read(e, "b", "other")).isEqualTo(other);

                // the silent clients come back and finish
                List<CompletedPart> parts = new ArrayList<>();
                for (int i = 0; i < stalledCount; i++) {
                    BodyWriter<?> w = stalled.get(i);
                    w.write(ByteBuffer.wrap(bodies.get(i), SENT_FIRST, BODY - SENT_FIRST));
                    Object done = w.commit(BodyExpectations.NONE);
                    if (done instanceof PartInfo p) {
                        parts.add(new CompletedPart(i, p.etag(), null));
                    }
                }
                assertThat(e.busyWriteLanes()).isZero();
                e.completeUpload("b", "multi", uploadId, parts, CompleteOptions.NONE);
            } finally {
                stalled.forEach(BodyWriter::close);
            }

            ByteBuffer multi = ByteBuffer.allocate(BODY * (stalledCount / 2));
            for (int i = 0; i < stalledCount; i++) {
                if (i % 2 == 0) {
                    assertThat(TestEngines.read(e, "b", "put" + i)).as("put%d", i).isEqualTo(bodies.get(i));
                } else {
                    multi.put(bodies.get(i));
                }
            }
            assertThat(TestEngines.read(e, "b", "multi")).isEqualTo(multi.array());
            assertThat(e.fsck(true).problems()).isEmpty();
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
        }
    }
}
