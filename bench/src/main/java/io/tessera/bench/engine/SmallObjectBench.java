package io.tessera.bench.engine;

import io.tessera.bench.BenchFiles;
import io.tessera.bench.BenchJvm;
import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.EngineStats;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PutOptions;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Suite 5: 4 KiB PutObject per second, every one acknowledged durable (segment fdatasync plus a
 * synced RocksDB batch). Each operation writes a new key of {@code size} bytes. {@code smallBodyLimit}
 * is the engine's default (64 KiB: a body of announced length up to it needs no write lane and is
 * group-committed in the segment small bodies share) or 0 (every body takes a write lane of its own,
 * so each concurrent writer fsyncs its own segment: the engine before group commit). Each iteration
 * prints the segment and WAL fsyncs it took per PUT.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.IGNORE_UNRECOGNIZED, BenchJvm.OPEN_REFLECT, BenchJvm.OPEN_LANG,
        BenchJvm.OPEN_NIO, BenchJvm.EXPORT_NIO_CH, BenchJvm.EXPORT_REF, BenchJvm.EXPORT_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.UNSAFE_MEMORY, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX})
public class SmallObjectBench {
    private static final AtomicInteger THREADS = new AtomicInteger();

    @Param({"65536", "0"})
    public long smallBodyLimit;

    @Param({"4096"})
    public int size;

    BenchEngine node;
    PutOptions options;
    final AtomicLong puts = new AtomicLong();
    long segmentSyncs;
    long walSyncs;

    @Setup(Level.Iteration)
    public void openEngine() {
        node = BenchEngine.open("small", c -> c.withSmallBodyLimit(smallBodyLimit));
        options = PutOptions.of(ObjectMetadata.EMPTY, BenchEngine.OWNER).withExpectedLength(size);
        puts.set(0);
        segmentSyncs = node.engine.stats().fsyncs();
        walSyncs = node.engine.stats().metadataSyncs();
    }

    @TearDown(Level.Iteration)
    public void closeEngine() {
        EngineStats s = node.engine.stats();
        long n = Math.max(1, puts.get());
        System.out.printf(Locale.ROOT, "  [%d PUTs: %.3f segment fsyncs and %.3f WAL fsyncs per PUT]%n", puts.get(),
                (s.fsyncs() - segmentSyncs) / (double) n, (s.metadataSyncs() - walSyncs) / (double) n);
        node.close();
    }

    /** One client's body buffer and key sequence. */
    @State(Scope.Thread)
    public static class Client {
        ByteBuffer body;
        String prefix;
        long next;

        @Setup(Level.Trial)
        public void setup(SmallObjectBench bench) {
            body = BenchFiles.payload(bench.size, Thread.currentThread().getId());
            prefix = "small/" + THREADS.incrementAndGet() + "/";
        }
    }

    @Benchmark
    @Threads(1)
    public ObjectInfo oneThread(Client c) {
        return put(c);
    }

    @Benchmark
    @Threads(2)
    public ObjectInfo twoThreads(Client c) {
        return put(c);
    }

    @Benchmark
    @Threads(8)
    public ObjectInfo eightThreads(Client c) {
        return put(c);
    }

    private ObjectInfo put(Client c) {
        try (BodyWriter<ObjectInfo> w = node.engine.beginPutObject(BenchEngine.BUCKET, c.prefix + c.next++, options)) {
            w.write(c.body.duplicate());
            ObjectInfo info = w.commit(BodyExpectations.NONE);
            puts.incrementAndGet();
            return info;
        }
    }
}
