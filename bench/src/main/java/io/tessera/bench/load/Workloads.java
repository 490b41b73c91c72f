package io.tessera.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The three workloads, each a bounded loop (a request count and a deadline) of SDK calls against one
 * bucket. Request bodies come from one pre-generated random buffer handed to the SDK without a copy,
 * and response bodies are read into a reused buffer and dropped, so the client does no work beyond
 * its own. Each workload returns the {@link Result} of its measured loop; set-up (creating uploads
 * and objects) and tear-down (completing uploads) stay outside the readings.
 */
final class Workloads {
    private static final String OCTETS = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final Meter meter;
    private final byte[] random;

    /** @param randomBytes size of the random buffer bodies are cut from (at least the largest part) */
    Workloads(S3Client s3, String bucket, Meter meter, int randomBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.meter = meter;
        this.random = new byte[randomBytes];
        new Random(42).nextBytes(random);
    }

    /** One thread's share of a measured loop. */
    @FunctionalInterface
    private interface Worker {
        /** Runs until done or past {@code deadline} (System.nanoTime), counting into {@code tally}. */
        void run(int thread, long deadline, Tally tally) throws Exception;
    }

    /** What one thread did. */
    private static final class Tally {
        final Latencies latencies = new Latencies();
        long ops;
        long bytes;

        void done(long startNanos, long payload) {
            latencies.add(System.nanoTime() - startNanos);
            ops++;
            bytes += payload;
        }
    }

    /**
     * Multipart ingest: each thread creates one upload and sends its share of {@code totalBytes} as
     * {@code partSize} parts, then the uploads are completed (outside the measurement).
     */
    Result multipart(String tag, int threads, int partSize, long totalBytes, long maxSeconds) throws Exception {
        int totalParts = (int) Math.max(threads, totalBytes / partSize);
        int perThread = (totalParts + threads - 1) / threads;
        String[] keys = new String[threads];
        String[] uploads = new String[threads];
        List<List<CompletedPart>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            keys[t] = "mp/" + tag + "/" + threads + "/" + t;
            String key = keys[t];
            uploads[t] = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            parts.add(new ArrayList<>());
        }
        RequestBody body = body(partSize);
        Result r = measure("multipart " + (partSize >> 20) + "MiB parts", threads, maxSeconds, (t, deadline, tally) -> {
            for (int p = 1; p <= perThread && System.nanoTime() < deadline; p++) {
                int number = p;
                long t0 = System.nanoTime();
                UploadPartResponse up = s3.uploadPart(b -> b.bucket(bucket).key(keys[t]).uploadId(uploads[t])
                        .partNumber(number), body);
                tally.done(t0, partSize);
                parts.get(t).add(CompletedPart.builder().partNumber(number).eTag(up.eTag())
                        .checksumCRC32(up.checksumCRC32()).build());
            }
        });
        for (int t = 0; t < threads; t++) {
            int i = t;
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(keys[i]).uploadId(uploads[i])
                    .multipartUpload(m -> m.parts(parts.get(i))));
        }
        return r;
    }

    /**
     * Small objects: {@code count} PutObjects of {@code size} bytes spread over the threads, then a GET
     * of each object written. Returns the PUT and the GET results.
     */
    List<Result> smallObjects(String tag, int threads, int size, int count, long maxSeconds) throws Exception {
        int perThread = (count + threads - 1) / threads;
        long[] written = new long[threads];
        RequestBody body = body(size);
        String prefix = "small/" + tag + "/";
        Result put = measure("small PUT " + size + "B", threads, maxSeconds, (t, deadline, tally) -> {
            for (int i = 0; i < perThread && System.nanoTime() < deadline; i++) {
                String key = prefix + t + "/" + i;
                long t0 = System.nanoTime();
                s3.putObject(b -> b.bucket(bucket).key(key), body);
                tally.done(t0, size);
                written[t] = i + 1;
            }
        });
        Result get = measure("small GET " + size + "B", threads, maxSeconds, (t, deadline, tally) -> {
            byte[] buf = new byte[Math.max(size, 8192)];
            for (int i = 0; i < written[t] && System.nanoTime() < deadline; i++) {
                String key = prefix + t + "/" + i;
                long t0 = System.nanoTime();
                long n = drain(s3.getObject(b -> b.bucket(bucket).key(key)), buf);
                tally.done(t0, n);
            }
        });
        return List.of(put, get);
    }

    /** Writes the object that {@link #largeGet} reads: {@code size} bytes of the random buffer, repeated. */
    void putLarge(String key, int size) {
        byte[] data = new byte[size];
        for (int off = 0; off < size; off += random.length) {
            System.arraycopy(random, 0, data, off, Math.min(random.length, size - off));
        }
        s3.putObject(b -> b.bucket(bucket).key(key),
                RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(data), size, OCTETS));
    }

    /** Hot GETs of one large object, {@code count} times per thread, the body read into a reused 1 MiB buffer. */
    Result largeGet(String key, int threads, long size, int count, long maxSeconds) throws Exception {
        return measure("GET " + (size >> 20) + "MiB object", threads, maxSeconds, (t, deadline, tally) -> {
            byte[] buf = new byte[1 << 20];
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                long t0 = System.nanoTime();
                long n = drain(s3.getObject(b -> b.bucket(bucket).key(key)), buf);
                if (n != size) {
                    throw new IOException("GET " + key + " returned " + n + " bytes, expected " + size);
                }
                tally.done(t0, n);
            }
        });
    }

    private RequestBody body(int size) {
        if (size > random.length) {
            throw new IllegalArgumentException("body of " + size + " bytes is larger than the random buffer");
        }
        byte[] b = size == random.length ? random : java.util.Arrays.copyOf(random, size);
        return RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(b), size, OCTETS);
    }

    private static long drain(ResponseInputStream<GetObjectResponse> in, byte[] buf) throws IOException {
        long total = 0;
        try (InputStream s = in) {
            int n;
            while ((n = s.read(buf)) >= 0) {
                total += n;
            }
        }
        return total;
    }

    /**
     * Runs {@code worker} on {@code threads} threads that start together; the readings are taken just
     * before they are released and just after the last one finished.
     */
    private Result measure(String phase, int threads, long maxSeconds, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "load-client");
            th.setDaemon(true);
            return th;
        });
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            long[] deadline = new long[1];
            List<Tally> tallies = new ArrayList<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Tally tally = new Tally();
                tallies.add(tally);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    worker.run(thread, deadline[0], tally);
                    return null;
                }));
            }
            ready.await();
            double load = Meter.loadAverage();
            Meter.Reading before = meter.read();
            deadline[0] = before.nanos() + maxSeconds * 1_000_000_000L;
            go.countDown();
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(phase + " failed: " + e.getCause(), e.getCause());
                }
            }
            Meter.Reading after = meter.read();
            long ops = 0;
            long bytes = 0;
            for (Tally t : tallies) {
                ops += t.ops;
                bytes += t.bytes;
            }
            List<Latencies> lat = new ArrayList<>();
            tallies.forEach(t -> lat.add(t.latencies));
            return Meter.result(phase, threads, ops, bytes, Latencies.merge(lat), before, after, load);
        } finally {
            pool.shutdownNow();
        }
    }
}
