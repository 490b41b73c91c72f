package io.tessera.bench.segment;

import io.tessera.bench.BenchFiles;
import io.tessera.bench.BenchJvm;
import io.tessera.bench.Written;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * Suite 1, the reference: what the disk does without Tessera. Each thread appends parts to its own
 * file with FileChannel positional writes of 256 KiB from a direct buffer, then {@code force(false)}
 * (fdatasync) once per part, exactly the durability discipline of a part commit, minus hashing and
 * metadata. The {@code mib} counter is the MiB/s to compare the engine suites with.
 *
 * <p>Files are new each iteration (appends allocate blocks, as in a fresh segment) and deleted
 * after it, so the disk never fills up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.IGNORE_UNRECOGNIZED, BenchJvm.OPEN_REFLECT, BenchJvm.OPEN_LANG,
        BenchJvm.OPEN_NIO, BenchJvm.EXPORT_NIO_CH, BenchJvm.EXPORT_REF, BenchJvm.EXPORT_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.UNSAFE_MEMORY, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX})
public class RawWriteBench {
    static final int CHUNK = 256 * BenchFiles.KIB;

    @Param({"8", "64"})
    public int partMiB;

    private ByteBuffer chunk;
    private Path dir;
    private FileChannel channel;
    private long position;

    @Setup(Level.Trial)
    public void payload() {
        chunk = BenchFiles.payload(CHUNK, Thread.currentThread().getId());
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = BenchFiles.newScratchDir("raw");
        channel = FileChannel.open(dir.resolve("data"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        position = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        channel.close();
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
        position = appendPart(channel, chunk, position, (long) partMiB * BenchFiles.MIB);
        w.mib += partMiB;
    }

    /**
     * The reference part write: {@code length} bytes at {@code position} in copies of {@code chunk},
     * then fdatasync. Returns the new end. Shared with the in-run reference of PartAppendBench.
     */
    public static long appendPart(FileChannel channel, ByteBuffer chunk, long position, long length)
            throws IOException {
        long end = position + length;
        while (position < end) {
            ByteBuffer b = chunk.duplicate();
            while (b.hasRemaining()) {
                position += channel.write(b, position);
            }
        }
        channel.force(false);
        return position;
    }
}
