package io.tessera.bench.load;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The soak's mixed workload: worker threads that each own a key prefix and, until a deadline, draw
 * operations by weight: PutObject, GetObject (whole and ranged), ListObjectsV2, DeleteObject,
 * multipart uploads (a 5 MiB part and a small last part, then Complete), aborted uploads and
 * ListMultipartUploads. Each worker knows exactly what its prefix holds, so every read is checked:
 * bytes, absence after a delete, the listing, no upload left open. Keys are reused from a bounded set,
 * so the stored data stays bounded however long it runs. Bodies are slices of one shared random
 * buffer, never copied.
 *
 * <p>Thread-safe: {@link #start} once, then counters may be read from any thread.
 */
final class SoakWorkload {
    /** The operations and their weights (out of 100). */
    enum Op {
        PUT(28), GET(34), RANGE_GET(12), LIST(8), DELETE(10), LIST_UPLOADS(6), MULTIPART(1), ABORT(1);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }
    }

    static final int PART_SIZE = 5 << 20;
    private static final String OCTETS = "application/octet-stream";
    private static final int MAX_ERRORS_KEPT = 20;

    private final S3Client s3;
    private final String bucket;
    private final int threads;
    private final int keysPerThread;
    private final byte[] random;
    private final AtomicLongArray counts = new AtomicLongArray(Op.values().length);
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong errorCount = new AtomicLong();
    private final List<String> errors = new ArrayList<>();
    private final CountDownLatch done;

    /** Where an object's bytes lie in the shared random buffer: consecutive slices. */
    private record Content(List<long[]> slices, long size) {
    }

    SoakWorkload(S3Client s3, String bucket, int threads, int keysPerThread) {
        this.s3 = s3;
        this.bucket = bucket;
        this.threads = threads;
        this.keysPerThread = keysPerThread;
        this.random = new byte[16 << 20];
        new Random(42).nextBytes(random);
        this.done = new CountDownLatch(threads);
    }

    /** Starts the workers; they stop at {@code deadlineNanos} (System.nanoTime). */
    void start(long deadlineNanos) {
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    new Worker(id, new Random(1000L + id)).run(deadlineNanos);
                } finally {
                    done.countDown();
                }
            }, "soak-" + t);
            th.setDaemon(true);
            th.start();
        }
    }

    /** Waits up to {@code millis} for every worker to finish; true when they have. */
    boolean awaitDone(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    long operations() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    Map<Op, Long> operationsByKind() {
        Map<Op, Long> out = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            out.put(op, counts.get(op.ordinal()));
        }
        return out;
    }

    long bytesWritten() {
        return bytesWritten.get();
    }

    long bytesRead() {
        return bytesRead.get();
    }

    long errorCount() {
        return errorCount.get();
    }

    /** The first errors, as messages. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    private void error(String what, Throwable t) {
        errorCount.incrementAndGet();
        synchronized (errors) {
            if (errors.size() < MAX_ERRORS_KEPT) {
                errors.add(what + ": " + t);
            }
        }
    }

    /** One worker: owns prefix {@code t<id>/} and knows what lies under it. */
    private final class Worker {
        private final int id;
        private final Random rnd;
        private final Map<String, Content> stored = new HashMap<>();

        Worker(int id, Random rnd) {
            this.id = id;
            this.rnd = rnd;
        }

        void run(long deadline) {
            while (System.nanoTime() < deadline) {
                Op op = draw();
                String key = "t" + id + "/k" + rnd.nextInt(keysPerThread);
                try {
                    switch (op) {
                        case PUT -> put(key);
                        case GET -> get(key, false);
                        case RANGE_GET -> get(key, true);
                        case LIST -> list();
                        case DELETE -> delete(key);
                        case LIST_UPLOADS -> listUploads();
                        case MULTIPART -> multipart("t" + id + "/mp" + rnd.nextInt(4));
                        case ABORT -> abort("t" + id + "/ab" + rnd.nextInt(4));
                        default -> throw new IllegalStateException(op.name());
                    }
                    counts.incrementAndGet(op.ordinal());
                } catch (RuntimeException | IOException e) {
                    error(op + " " + key, e);
                }
            }
        }

        private Op draw() {
            int r = rnd.nextInt(100);
            for (Op op : Op.values()) {
                r -= op.weight;
                if (r < 0) {
                    return op;
                }
            }
            return Op.GET;
        }

        private void put(String key) {
            int size = rnd.nextInt(4) == 0 ? rnd.nextInt(256 << 10) : rnd.nextInt(16 << 10);
            long off = rnd.nextInt(random.length - size + 1);
            s3.putObject(b -> b.bucket(bucket).key(key), body(off, size));
            stored.put(key, new Content(List.of(new long[] {off, size}), size));
            bytesWritten.addAndGet(size);
        }

        private void get(String key, boolean ranged) throws IOException {
            Content c = stored.get(key);
            if (c == null) {
                try {
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                } catch (NoSuchKeyException expected) {
                    return;
                }
                throw new IllegalStateException(key + " can be read though it was deleted or never written");
            }
            long from = 0;
            long to = c.size() - 1;
            if (ranged && c.size() > 1) {
                from = (long) (rnd.nextDouble() * c.size());
                to = from + (long) (rnd.nextDouble() * (c.size() - from));
            }
            long first = from;
            long last = to;
            String range = ranged && c.size() > 1 ? "bytes=" + first + "-" + last : null;
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key).range(range))) {
                verify(key, in, c, first, c.size() == 0 ? 0 : last - first + 1);
            }
        }

        /** Compares {@code length} bytes of {@code in} with the object's content from {@code from}. */
        private void verify(String key, InputStream in, Content c, long from, long length) throws IOException {
            byte[] buf = new byte[64 << 10];
            long pos = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (pos + i >= length || buf[i] != expectedByte(c, from + pos + i)) {
                        throw new IllegalStateException(key + ": wrong byte at " + (from + pos + i));
                    }
                }
                pos += n;
            }
            if (pos != length) {
                throw new IllegalStateException(key + ": " + pos + " bytes read, expected " + length);
            }
            bytesRead.addAndGet(pos);
        }

        private byte expectedByte(Content c, long at) {
            long skip = at;
            for (long[] s : c.slices()) {
                if (skip < s[1]) {
                    return random[(int) (s[0] + skip)];
                }
                skip -= s[1];
            }
            throw new IllegalStateException("offset " + at + " beyond " + c.size());
        }

        private void list() {
            TreeSet<String> listed = new TreeSet<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("t" + id + "/")).contents()) {
                listed.add(o.key());
                Content c = stored.get(o.key());
                if (c == null || c.size() != o.size()) {
                    throw new IllegalStateException("listing shows " + o.key() + " with " + o.size() + " bytes");
                }
            }
            if (!listed.equals(new TreeSet<>(stored.keySet()))) {
                throw new IllegalStateException("listing " + listed + " but stored " + new TreeSet<>(stored.keySet()));
            }
        }

        private void delete(String key) {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            stored.remove(key);
        }

        private void listUploads() {
            int open = s3.listMultipartUploads(b -> b.bucket(bucket).prefix("t" + id + "/")).uploads().size();
            if (open != 0) {
                throw new IllegalStateException(open + " uploads left open under t" + id + "/");
            }
        }

        private void multipart(String key) {
            String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            long off1 = rnd.nextInt(random.length - PART_SIZE + 1);
            int last = 1 + rnd.nextInt(64 << 10);
            long off2 = rnd.nextInt(random.length - last + 1);
            UploadPartResponse p1 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(1),
                    body(off1, PART_SIZE));
            UploadPartResponse p2 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(2),
                    body(off2, last));
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(
                    CompletedPart.builder().partNumber(1).eTag(p1.eTag()).checksumCRC32(p1.checksumCRC32()).build(),
                    CompletedPart.builder().partNumber(2).eTag(p2.eTag()).checksumCRC32(p2.checksumCRC32()).build())));
            stored.put(key, new Content(List.of(new long[] {off1, PART_SIZE}, new long[] {off2, last}),
                    (long) PART_SIZE + last));
            bytesWritten.addAndGet((long) PART_SIZE + last);
        }

        private void abort(String key) {
            String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            long off = rnd.nextInt(random.length - PART_SIZE + 1);
            s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(1), body(off, PART_SIZE));
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload));
            bytesWritten.addAndGet(PART_SIZE);
        }

        private RequestBody body(long off, int size) {
            ContentStreamProvider slice = () -> new ByteArrayInputStream(random, (int) off, size);
            return RequestBody.fromContentProvider(slice, size, OCTETS);
        }
    }
}
