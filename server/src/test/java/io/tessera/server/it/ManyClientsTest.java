package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.netty.ListenerStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Many more clients than the node reads bodies at once (and than the engine has write lanes): 160
 * threads of one SDK client, with the SDK's standard retries (which retry 503 SlowDown after at least
 * its Retry-After), each upload one or two objects of three parts. Every upload lands and every object
 * reads back bit-exact; nothing hangs.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ManyClientsTest {
    private static final int THREADS = 160;
    private static final int PARTS = 3;

    @TempDir
    Path dir;

    @Test
    void oneHundredSixtyThreadsOfMultipartUploadsAllLandIntact() throws Exception {
        try (TestNode node = TestNode.start(dir); S3Client s3 = standardRetriesClient(node)) {
            s3.createBucket(b -> b.bucket("many"));
            Map<String, byte[]> expected = new ConcurrentHashMap<>();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    try {
                        go.await();
                        for (int o = 0; o <= thread % 2; o++) {
                            String key = "t" + thread + "/o" + o;
                            byte[] data = new byte[(int) (PARTS * TestNode.MIN_PART)];
                            new Random(thread * 31L + o).nextBytes(data);
                            upload(s3, key, data);
                            expected.put(key, data);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> f : done) {
                f.get(200, TimeUnit.SECONDS);
            }
            long uploadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            pool.shutdown();
            assertThat(failures).isEmpty();
            assertThat(expected).hasSize(THREADS + THREADS / 2);
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                assertThat(s3.getObjectAsBytes(r -> r.bucket("many").key(e.getKey())).asByteArray())
                        .as(e.getKey()).isEqualTo(e.getValue());
            }
            ListenerStats stats = node.server().listenerStats();
            assertThat(stats.admittedBodies()).isZero();
            assertThat(stats.waitingBodies()).isZero();
            System.out.println("ManyClientsTest: uploads took " + uploadMs + " ms; " + stats);
        }
    }

    private static void upload(S3Client s3, String key, byte[] data) {
        String id = s3.createMultipartUpload(r -> r.bucket("many").key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int size = (int) TestNode.MIN_PART;
        for (int p = 1; p <= PARTS; p++) {
            int n = p;
            byte[] part = java.util.Arrays.copyOfRange(data, (p - 1) * size, p * size);
            String etag = s3.uploadPart(r -> r.bucket("many").key(key).uploadId(id).partNumber(n),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        s3.completeMultipartUpload(r -> r.bucket("many").key(key).uploadId(id)
                .multipartUpload(m -> m.parts(parts)));
    }

    /** An SDK client as applications build it: standard retries, and enough connections for every thread. */
    private static S3Client standardRetriesClient(TestNode node) {
        return S3Client.builder()
                .endpointOverride(node.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestNode.ACCESS_KEY, TestNode.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(THREADS + 8)
                        .socketTimeout(Duration.ofSeconds(60)).connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
    }
}
