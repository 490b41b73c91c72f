package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * AbortMultipartUpload racing part uploads over HTTP: one abort is final. Part uploads that start after
 * the abort answered all fail with NoSuchUpload, every in-flight one either succeeded or got NoSuchUpload
 * (nothing else), ListParts and Complete answer NoSuchUpload, and no part's bytes stay live.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AbortRaceTest {
    @TempDir
    Path dir;

    @Test
    void abortIsFinalAgainstConcurrentPartUploads() throws Exception {
        try (TestNode node = TestNode.start(dir); S3Client s3 = node.client(false)) {
            s3.createBucket(b -> b.bucket("race"));
            long liveBefore = node.liveBytes();
            for (int round = 0; round < 3; round++) {
                String id = s3.createMultipartUpload(r -> r.bucket("race").key("k")).uploadId();
                int threads = 6;
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                AtomicInteger successes = new AtomicInteger();
                AtomicInteger refusedAfter = new AtomicInteger();
                AtomicInteger startedAfter = new AtomicInteger();
                AtomicBoolean aborted = new AtomicBoolean();
                CountDownLatch someDone = new CountDownLatch(threads);
                List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int base = t * 1000;
                    fs.add(pool.submit(() -> {
                        for (int i = 1; i <= 40; i++) {
                            boolean afterAbort = aborted.get();
                            if (afterAbort) {
                                startedAfter.incrementAndGet();
                            }
                            int pn = base + i;
                            try {
                                s3.uploadPart(r -> r.bucket("race").key("k").uploadId(id).partNumber(pn),
                                        RequestBody.fromBytes(new byte[64 * 1024]));
                                successes.incrementAndGet();
                                if (afterAbort) {
                                    unexpected.add(new AssertionError("part " + pn + " started after the abort"
                                            + " answered and still succeeded"));
                                }
                            } catch (NoSuchUploadException e) {
                                if (afterAbort) {
                                    refusedAfter.incrementAndGet();
                                }
                            } catch (Throwable e) {
                                unexpected.add(e);
                            }
                            someDone.countDown();
                            if (afterAbort && i > 5) {
                                return;
                            }
                        }
                    }));
                }
                assertThat(someDone.await(60, TimeUnit.SECONDS)).isTrue();
                s3.abortMultipartUpload(r -> r.bucket("race").key("k").uploadId(id));
                aborted.set(true);
                for (Future<?> f : fs) {
                    f.get(60, TimeUnit.SECONDS);
                }
                pool.shutdown();
                assertThat(unexpected).isEmpty();
                assertThat(successes.get()).isPositive();
                assertThat(refusedAfter.get()).isEqualTo(startedAfter.get()).isPositive();
                assertThatThrownBy(() -> s3.listParts(r -> r.bucket("race").key("k").uploadId(id)))
                        .isInstanceOf(NoSuchUploadException.class);
                assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket("race").key("k").uploadId(id)
                        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag("x").build()))))
                        .isInstanceOf(NoSuchUploadException.class);
                assertThat(s3.listMultipartUploads(r -> r.bucket("race")).uploads()).isEmpty();
                assertThat(node.liveBytes()).isEqualTo(liveBefore);
            }
        }
    }
}
