package io.tessera.bench.segment;

import io.tessera.bench.BenchFiles;
import io.tessera.bench.BenchJvm;
import io.tessera.bench.Written;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Suite 3: which data path should carry body bytes into a segment, Chronicle {@code MappedBytes}
 * (sync mode SYNC, msync per part) or FileChannel positional writes (fdatasync per part)? Same part
 * sizes, same 256 KiB direct source buffers, same 256 MiB segment roll-over, one durability point per
 * part. Each thread has its own segment files, as each write lane has its own segment.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.IGNORE_UNRECOGNIZED, BenchJvm.OPEN_REFLECT, BenchJvm.OPEN_LANG,
        BenchJvm.OPEN_NIO, BenchJvm.EXPORT_NIO_CH, BenchJvm.EXPORT_REF, BenchJvm.EXPORT_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.UNSAFE_MEMORY, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX})
public class BodyPathBench {
    static final long SEGMENT_SIZE = 256L * BenchFiles.MIB;

    @Param({"channel", "mapped"})
    public String path;

    @Param({"8", "64"})
    public int partMiB;

    private ByteBuffer chunk;
    private Path dir;
    private BodySink sink;

    @Setup(Level.Trial)
    public void payload() {
        chunk = BenchFiles.payload(RawWriteBench.CHUNK, Thread.currentThread().getId());
    }

    @Setup(Level.Iteration)
    public void open() {
        dir = BenchFiles.newScratchDir("body-" + path);
        sink = BodySink.create(path, dir, SEGMENT_SIZE);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        sink.close();
        BenchFiles.deleteTree(dir);
    }

    @Benchmark
    @Threads(1)
    public void oneThread(Written w) throws IOException {
        writePart(w);
    }

    @Benchmark
    @Threads(2)
    public void twoThreads(Written w) throws IOException {
        writePart(w);
    }

    private void writePart(Written w) throws IOException {
        long length = (long) partMiB * BenchFiles.MIB;
        sink.beginPart(length);
        for (long done = 0; done < length; done += RawWriteBench.CHUNK) {
            sink.write(chunk.duplicate());
        }
        sink.commit();
        w.mib += partMiB;
    }
}
