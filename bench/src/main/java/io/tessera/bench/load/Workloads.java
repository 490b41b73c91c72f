package io.tessera.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The workloads, each a bounded loop (a request count and a deadline) of SDK calls against one bucket
 * through one client. Request bodies are cut from one random buffer (the bytes {@link HashFloor} times)
 * and handed to the SDK without a copy, and response bodies are read into a reused buffer and dropped,
 * so the client does no work beyond its own. A request that fails counts as an error and the loop
 * goes on (no retries). Each workload returns the {@link Result} of its measured loop; set-up (creating
 * uploads and objects) and tear-down (completing uploads) stay outside the readings. One workload at
 * a time per instance.
 */
final class Workloads {
    private static final String OCTETS = "application/octet-stream";
    private static final int ERROR_SAMPLES = 5;

    private final S3Client s3;
    private final String bucket;
    private final Meter meter;
    private final byte[] random;
    private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());

    /** @param random the bytes bodies are cut from (at least the largest part); not copied, not modified */
    Workloads(S3Client s3, String bucket, Meter meter, byte[] random) {
        this.s3 = s3;
        this.bucket = bucket;
        this.meter = meter;
        this.random = random;
    }

    /** The first few failures seen, for the log. */
    List<String> errorSamples() {
        synchronized (errorSamples) {
            return List.copyOf(errorSamples);
        }
    }

    /** One thread's share of a measured loop. */
    @FunctionalInterface
    private interface Worker {
        /** Runs until done or past {@code deadline} (System.nanoTime), counting into {@code tally}. */
        void run(int thread, long deadline, Tally tally) throws Exception;
    }

    /** What one thread did. */
    private final class Tally {
        final Latencies latencies = new Latencies();
        long ops;
        long errors;
        long bytes;

        void done(long startNanos, long payload) {
            latencies.add(System.nanoTime() - startNanos);
            ops++;
            bytes += payload;
        }

        void failed(String what, Exception e) {
            errors++;
            synchronized (errorSamples) {
                if (errorSamples.size() < ERROR_SAMPLES) {
                    errorSamples.add(what + ": " + e);
                }
            }
        }
    }

    /**
     * Multipart ingest: each thread creates one upload and sends its share of {@code totalBytes} as
     * {@code partSize} parts (at least one each), then the uploads are completed (outside the
     * measurement; an upload none of whose parts arrived is aborted).
     */
    Result multipart(String tag, PayloadMode mode, int threads, int partSize, long totalBytes, long maxSeconds)
            throws Exception {
        int totalParts = (int) Math.max(threads, totalBytes / partSize);
        int perThread = (totalParts + threads - 1) / threads;
        String[] keys = new String[threads];
        String[] uploads = new String[threads];
        List<List<CompletedPart>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            keys[t] = "mp/" + tag + "/" + mode.label() + "/" + threads + "/" + t;
            String key = keys[t];
            uploads[t] = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            parts.add(new ArrayList<>());
        }
        RequestBody body = body(partSize);
        String phase = "multipart " + (partSize >> 20) + "MiB " + mode.label();
        Result r = measure(phase, mode, threads, maxSeconds, (t, deadline, tally) -> {
            for (int p = 1; p <= perThread && System.nanoTime() < deadline; p++) {
                int number = p;
                long t0 = System.nanoTime();
                try {
                    UploadPartResponse up = s3.uploadPart(b -> b.bucket(bucket).key(keys[t]).uploadId(uploads[t])
                            .partNumber(number), body);
                    tally.done(t0, partSize);
                    parts.get(t).add(CompletedPart.builder().partNumber(number).eTag(up.eTag())
                            .checksumCRC32(up.checksumCRC32()).build());
                } catch (SdkException e) {
                    tally.failed(phase + " part " + number, e);
                }
            }
        });
        for (int t = 0; t < threads; t++) {
            int i = t;
            try {
                if (parts.get(i).isEmpty()) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(keys[i]).uploadId(uploads[i]));
                } else {
                    s3.completeMultipartUpload(b -> b.bucket(bucket).key(keys[i]).uploadId(uploads[i])
                            .multipartUpload(m -> m.parts(parts.get(i))));
                }
            } catch (SdkException e) {
                System.err.println("could not finish upload " + keys[i] + " (outside the measurement): " + e);
            }
        }
        return r;
    }

    /**
     * Small objects: {@code count} PutObjects of {@code size} bytes spread over the threads, then a GET
     * of each object written. Returns the PUT and the GET results.
     */
    List<Result> smallObjects(String tag, int threads, int size, int count, long maxSeconds) throws Exception {
        int perThread = (count + threads - 1) / threads;
        RequestBody body = body(size);
        String prefix = "small/" + tag + "/";
        boolean[][] stored = new boolean[threads][perThread];
        Result put = measure("small PUT " + size + "B", null, threads, maxSeconds, (t, deadline, tally) -> {
            for (int i = 0; i < perThread && System.nanoTime() < deadline; i++) {
                String key = prefix + t + "/" + i;
                long t0 = System.nanoTime();
                try {
                    s3.putObject(b -> b.bucket(bucket).key(key), body);
                    tally.done(t0, size);
                    stored[t][i] = true;
                } catch (SdkException e) {
                    tally.failed("PUT " + key, e);
                }
            }
        });
        Result get = measure("small GET " + size + "B", null, threads, maxSeconds, (t, deadline, tally) -> {
            byte[] buf = new byte[Math.max(size, 8192)];
            for (int i = 0; i < perThread && System.nanoTime() < deadline; i++) {
                if (!stored[t][i]) {
                    continue;
                }
                timedGet(prefix + t + "/" + i, size, buf, tally);
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
        return measure("GET " + (size >> 20) + "MiB object", null, threads, maxSeconds, (t, deadline, tally) -> {
            byte[] buf = new byte[1 << 20];
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                timedGet(key, size, buf, tally);
            }
        });
    }

    /** One GET of {@code key}, its body drained into {@code buf}: counted when it has {@code size} bytes. */
    private void timedGet(String key, long size, byte[] buf, Tally tally) {
        long t0 = System.nanoTime();
        try {
            long n = drain(s3.getObject(b -> b.bucket(bucket).key(key)), buf);
            if (n == size) {
                tally.done(t0, n);
            } else {
                tally.failed("GET " + key, new IOException(n + " bytes, expected " + size));
            }
        } catch (SdkException | IOException e) {
            tally.failed("GET " + key, e);
        }
    }

    private RequestBody body(int size) {
        if (size > random.length) {
            throw new IllegalArgumentException("body of " + size + " bytes is larger than the random buffer");
        }
        byte[] b = size == random.length ? random : Arrays.copyOf(random, size);
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
    private Result measure(String phase, PayloadMode mode, int threads, long maxSeconds, Worker worker)
            throws Exception {
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
            long errors = 0;
            long bytes = 0;
            for (Tally t : tallies) {
                ops += t.ops;
                errors += t.errors;
                bytes += t.bytes;
            }
            List<Latencies> lat = new ArrayList<>();
            tallies.forEach(t -> lat.add(t.latencies));
            return Meter.result(phase, mode, threads, ops, errors, bytes, Latencies.merge(lat), before, after, load);
        } finally {
            pool.shutdownNow();
        }
    }
}
