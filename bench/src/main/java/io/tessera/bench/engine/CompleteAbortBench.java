package io.tessera.bench.engine;

import io.tessera.bench.BenchFiles;
import io.tessera.bench.BenchJvm;
import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartOptions;
import io.tessera.engine.UploadOptions;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Suite 4: latency of CompleteMultipartUpload and AbortMultipartUpload against the number of parts.
 * Every measured call gets its own upload (own key) with {@code parts} tiny parts (16 bytes each;
 * the engine runs with a minimum part size of 1), prepared before the first iteration; only the one
 * complete or abort call is timed (single shot, batch size 1). Targets: under 50 ms at
 * 10 000 parts, growing no faster than linearly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, batchSize = 1)
@Measurement(iterations = 12, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.IGNORE_UNRECOGNIZED, BenchJvm.OPEN_REFLECT, BenchJvm.OPEN_LANG,
        BenchJvm.OPEN_NIO, BenchJvm.EXPORT_NIO_CH, BenchJvm.EXPORT_REF, BenchJvm.EXPORT_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.UNSAFE_MEMORY, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX})
public class CompleteAbortBench {
    static final int PART_SIZE = 16;
    static final int SETUP_THREADS = 16;

    @Param({"10", "1000", "10000"})
    public int parts;

    private BenchEngine node;
    private ByteBuffer body;
    private final ArrayDeque<Prepared> pool = new ArrayDeque<>();
    private int uploads;
    private Prepared current;

    /** An open upload with all its parts committed, and the list a client would complete it with. */
    record Prepared(String key, String uploadId, List<CompletedPart> partList) {
    }

    /**
     * Opens the engine and prepares one upload per iteration (warmup and measurement) up front.
     * Parts of one upload commit one after the other (the engine serializes them on the upload's
     * lock, one synced RocksDB write each), so the pool fills many uploads in parallel instead, where
     * RocksDB and the shared segment can group their fsyncs.
     */
    @Setup(Level.Trial)
    public void openEngine(BenchmarkParams params) throws InterruptedException, ExecutionException {
        node = BenchEngine.open("complete", c -> c.withMinPartSize(1).withMaxWriteLanes(1));
        body = BenchFiles.payload(PART_SIZE, 42);
        int needed = params.getWarmup().getCount() * Math.max(1, params.getWarmup().getBatchSize())
                + params.getMeasurement().getCount() * Math.max(1, params.getMeasurement().getBatchSize());
        ExecutorService setupPool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<Future<Prepared>> futures = new ArrayList<>();
            for (int i = 0; i < needed; i++) {
                futures.add(setupPool.submit(this::prepare));
            }
            for (Future<Prepared> f : futures) {
                pool.add(f.get());
            }
        } finally {
            setupPool.shutdownNow();
        }
    }

    @TearDown(Level.Trial)
    public void closeEngine() {
        node.close();
    }

    @Setup(Level.Iteration)
    public void nextUpload() {
        Prepared p = pool.poll();
        current = p != null ? p : prepare(); // only when run with more iterations than announced
    }

    private Prepared prepare() {
        String key;
        synchronized (this) {
            key = "multi/" + (++uploads);
        }
        String uploadId = node.engine.createUpload(BenchEngine.BUCKET, key,
                UploadOptions.of(ObjectMetadata.EMPTY, BenchEngine.OWNER)).uploadId();
        List<CompletedPart> list = new ArrayList<>(parts);
        for (int n = 1; n <= parts; n++) {
            try (BodyWriter<PartInfo> w = node.engine.beginUploadPart(BenchEngine.BUCKET, key, uploadId, n,
                    new PartOptions(null, PART_SIZE))) {
                w.write(body.duplicate());
                PartInfo p = w.commit(BodyExpectations.NONE);
                list.add(new CompletedPart(p.partNumber(), p.etag(), null));
            }
        }
        return new Prepared(key, uploadId, List.copyOf(list));
    }

    @Benchmark
    public ObjectInfo complete() {
        return node.engine.completeUpload(BenchEngine.BUCKET, current.key(), current.uploadId(), current.partList(),
                CompleteOptions.NONE);
    }

    @Benchmark
    public void abort() {
        node.engine.abortUpload(BenchEngine.BUCKET, current.key(), current.uploadId());
    }
}
