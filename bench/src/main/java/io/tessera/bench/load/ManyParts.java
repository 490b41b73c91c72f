package io.tessera.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * The {@code manyparts} phase (issue 16: Complete and Abort at 10 000 parts): per repeat, two uploads
 * of {@code parts} tiny parts each, sent over {@code threads} client threads; then, one request at a
 * time, the first page of ListParts and CompleteMultipartUpload with the full part list on one of
 * them, and AbortMultipartUpload on the other. Every request of a kind is timed on its own and its
 * node and client CPU read around it, so the rows hold only those requests. Each answer is checked
 * (the page's length, the completed object's size, the aborted upload gone): a wrong answer counts as
 * an error. The node must accept parts this small ({@code -Dtessera.minPartSize}). Not thread-safe.
 */
final class ManyParts {
    /** Every row of this phase starts with this, so the table can set them apart. */
    static final String PREFIX = "many parts: ";
    private static final String OCTETS = "application/octet-stream";
    /** ListParts' default page (S3: max-parts 1000). */
    private static final int LIST_PAGE = 1000;

    /**
     * What to run.
     *
     * @param parts      parts per upload (S3 allows at most 10 000)
     * @param partBytes  bytes per part
     * @param threads    client threads sending the parts
     * @param repeats    measured repeats per round (each: two uploads, one list, one complete, one abort)
     * @param maxSeconds time limit of one repeat's part uploads
     */
    record Plan(int parts, int partBytes, int threads, int repeats, long maxSeconds) {
        Plan {
            if (parts < 1 || parts > 10_000 || partBytes < 1 || threads < 1 || repeats < 1 || maxSeconds < 1) {
                throw new IllegalArgumentException("many parts: parts from 1 to 10000, part bytes, threads, repeats"
                        + " and seconds at least 1; not " + parts + ", " + partBytes + ", " + threads + ", " + repeats
                        + ", " + maxSeconds);
            }
        }
    }

    /** Timings of one kind of request, summed over the repeats. Not thread-safe. */
    private static final class Op {
        final String phase;
        final int threads;
        final Latencies latencies = new Latencies();
        long errors;
        long bytes;
        double seconds;
        double nodeCpu;
        double clientCpu;
        double load = Double.NaN;

        Op(String phase, int threads) {
            this.phase = phase;
            this.threads = threads;
        }

        /** Adds the span between two readings (a loop of {@code count} requests or one request). */
        void span(Meter.Reading before, Meter.Reading after, double loadAtStart) {
            seconds += (after.nanos() - before.nanos()) / 1e9;
            nodeCpu += after.nodeCpu() - before.nodeCpu();
            clientCpu += after.clientCpu() - before.clientCpu();
            if (Double.isNaN(load)) {
                load = loadAtStart;
            }
        }

        Result result() {
            return new Result(phase, null, threads, latencies.count(), errors, bytes, seconds,
                    latencies.quantileMs(0.5), latencies.quantileMs(0.99), latencies.quantileMs(1), nodeCpu,
                    clientCpu, load, Result.Floor.NONE);
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final Meter meter;
    private final byte[] body;
    private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());

    /** @param random bytes the part bodies are cut from (at least {@code partBytes} of the plans run) */
    ManyParts(S3Client s3, String bucket, Meter meter, byte[] random) {
        this.s3 = s3;
        this.bucket = bucket;
        this.meter = meter;
        this.body = random;
    }

    /** The first few failures seen, for the log. */
    List<String> errorSamples() {
        synchronized (errorSamples) {
            return List.copyOf(errorSamples);
        }
    }

    /** The rows' names for a plan, in the order {@link #run} returns them. */
    static List<String> phases(Plan plan) {
        return List.of(PREFIX + "UploadPart " + plan.partBytes() + "B",
                PREFIX + "ListParts page 1 of " + plan.parts(),
                PREFIX + "Complete " + plan.parts() + " parts",
                PREFIX + "Abort " + plan.parts() + " parts");
    }

    /** {@code plan.repeats()} repeats; one row per kind of request (see {@link #phases}). */
    List<Result> run(String tag, Plan plan) throws Exception {
        List<String> names = phases(plan);
        Op upload = new Op(names.get(0), plan.threads());
        Op list = new Op(names.get(1), 1);
        Op complete = new Op(names.get(2), 1);
        Op abort = new Op(names.get(3), 1);
        ExecutorService pool = Executors.newFixedThreadPool(plan.threads(), r -> {
            Thread th = new Thread(r, "many-parts-client");
            th.setDaemon(true);
            return th;
        });
        try {
            for (int i = 0; i < plan.repeats(); i++) {
                repeat(tag + "/" + i, plan, pool, upload, list, complete, abort);
            }
        } finally {
            pool.shutdownNow();
        }
        return List.of(upload.result(), list.result(), complete.result(), abort.result());
    }

    private void repeat(String tag, Plan plan, ExecutorService pool, Op upload, Op list, Op complete, Op abort)
            throws Exception {
        String keep = "many/" + tag + "/completed";
        String drop = "many/" + tag + "/aborted";
        String keepId = s3.createMultipartUpload(b -> b.bucket(bucket).key(keep)).uploadId();
        String dropId = s3.createMultipartUpload(b -> b.bucket(bucket).key(drop)).uploadId();
        CompletedPart[][] sent = sendParts(plan, pool, upload, new String[] {keep, drop},
                new String[] {keepId, dropId});
        List<CompletedPart> keepParts = Arrays.stream(sent[0]).filter(p -> p != null).toList();
        if (keepParts.size() < plan.parts()) {
            failed(complete, "Complete " + keep, new IllegalStateException("only " + keepParts.size() + " of "
                    + plan.parts() + " parts were sent within " + plan.maxSeconds() + " s; the upload is aborted"));
            untimed(complete, "Abort " + keep, () -> {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(keep).uploadId(keepId));
                return null;
            });
        } else {
            timed(list, "ListParts " + keep, () -> {
                ListPartsResponse page = s3.listParts(b -> b.bucket(bucket).key(keep).uploadId(keepId));
                int expected = Math.min(LIST_PAGE, plan.parts());
                return page.parts().size() == expected ? null : page.parts().size() + " parts on the first page, not "
                        + expected;
            });
            List<CompletedPart> ordered = keepParts.stream()
                    .sorted(Comparator.comparingInt(CompletedPart::partNumber)).toList();
            timed(complete, "Complete " + keep, () -> {
                CompleteMultipartUploadResponse r = s3.completeMultipartUpload(b -> b.bucket(bucket).key(keep)
                        .uploadId(keepId).multipartUpload(m -> m.parts(ordered)));
                return r.eTag() != null && r.eTag().endsWith("-" + plan.parts() + "\"") ? null
                        : "ETag " + r.eTag() + " does not name " + plan.parts() + " parts";
            });
            untimed(complete, "HEAD " + keep, () -> {
                long size = s3.headObject(b -> b.bucket(bucket).key(keep)).contentLength();
                long expected = (long) plan.parts() * plan.partBytes();
                return size == expected ? null : size + " bytes, expected " + expected;
            });
        }
        timed(abort, "Abort " + drop, () -> {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(drop).uploadId(dropId));
            return null;
        });
        untimed(abort, "ListParts after Abort " + drop, () -> {
            try {
                s3.listParts(b -> b.bucket(bucket).key(drop).uploadId(dropId));
                return "the upload is still there";
            } catch (NoSuchUploadException expected) {
                return null;
            }
        });
        untimed(complete, "DELETE " + keep, () -> {
            s3.deleteObject(b -> b.bucket(bucket).key(keep));
            return null;
        });
    }

    /** A check outside the timings (a read-back, a clean-up): a failure or a wrong answer counts against {@code op}. */
    private void untimed(Op op, String what, Checked request) {
        try {
            String wrong = request.call();
            if (wrong != null) {
                failed(op, what, new IllegalStateException(wrong));
            }
        } catch (SdkException e) {
            failed(op, what, e);
        }
    }

    /**
     * Sends parts 1..{@code plan.parts()} of every upload, the threads taking (upload, part) pairs in
     * turn from one counter. Returns what was acknowledged, by upload and part number - 1 (null: failed).
     */
    private CompletedPart[][] sendParts(Plan plan, ExecutorService pool, Op upload, String[] keys, String[] ids)
            throws Exception {
        int uploads = keys.length;
        CompletedPart[][] sent = new CompletedPart[uploads][plan.parts()];
        RequestBody partBody = RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(
                Arrays.copyOf(body, plan.partBytes())), plan.partBytes(), OCTETS);
        AtomicInteger next = new AtomicInteger();
        int total = uploads * plan.parts();
        List<Latencies> perThread = new ArrayList<>();
        long[] bytes = new long[plan.threads()];
        long[] errors = new long[plan.threads()];
        List<Future<?>> futures = new ArrayList<>();
        double load = Meter.loadAverage();
        Meter.Reading before = meter.read();
        long deadline = before.nanos() + plan.maxSeconds() * 1_000_000_000L;
        for (int t = 0; t < plan.threads(); t++) {
            int thread = t;
            Latencies lat = new Latencies();
            perThread.add(lat);
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < total && System.nanoTime() < deadline;
                     i = next.getAndIncrement()) {
                    int u = i % uploads;
                    int number = i / uploads + 1;
                    long t0 = System.nanoTime();
                    try {
                        var up = s3.uploadPart(b -> b.bucket(bucket).key(keys[u]).uploadId(ids[u]).partNumber(number),
                                partBody);
                        lat.add(System.nanoTime() - t0);
                        bytes[thread] += plan.partBytes();
                        sent[u][number - 1] = CompletedPart.builder().partNumber(number).eTag(up.eTag())
                                .checksumCRC32(up.checksumCRC32()).build();
                    } catch (SdkException e) {
                        errors[thread]++;
                        sample("UploadPart " + keys[u] + " #" + number, e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("many parts: a client thread failed: " + e.getCause(), e.getCause());
            }
        }
        upload.span(before, meter.read(), load);
        for (int t = 0; t < plan.threads(); t++) {
            upload.bytes += bytes[t];
            upload.errors += errors[t];
        }
        perThread.forEach(upload.latencies::addAll);
        return sent;
    }

    /** A request whose check answers null when its answer is right, else what is wrong with it. */
    @FunctionalInterface
    private interface Checked {
        String call();
    }

    /** One request timed on its own, between two readings; a failure or a wrong answer counts as an error. */
    private void timed(Op op, String what, Checked request) {
        double load = Meter.loadAverage();
        Meter.Reading before = meter.read();
        long t0 = System.nanoTime();
        String wrong;
        try {
            wrong = request.call();
        } catch (SdkException e) {
            failed(op, what, e);
            return;
        }
        long nanos = System.nanoTime() - t0;
        op.span(before, meter.read(), load);
        if (wrong != null) {
            failed(op, what, new IllegalStateException(wrong));
        } else {
            op.latencies.add(nanos);
        }
    }

    private void failed(Op op, String what, Exception e) {
        op.errors++;
        sample(what, e);
    }

    private void sample(String what, Exception e) {
        synchronized (errorSamples) {
            if (errorSamples.size() < 5) {
                errorSamples.add(what + ": " + e);
            }
        }
    }
}
