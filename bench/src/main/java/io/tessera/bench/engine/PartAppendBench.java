package io.tessera.bench.engine;

import io.tessera.bench.BenchFiles;
import io.tessera.bench.BenchJvm;
import io.tessera.bench.Written;
import io.tessera.bench.segment.RawWriteBench;
import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartOptions;
import io.tessera.engine.UploadOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
 * Suite 2: UploadPart through the real engine. Each operation is one part: {@code beginUploadPart},
 * the body in 256 KiB direct buffers (MD5 and block CRC32Cs computed while writing to the segment),
 * then {@code commit} (fdatasync of the segment, one synced RocksDB batch). Compare the {@code mib}
 * rate with the raw reference of the same size and thread count; the target is at least 80 %.
 *
 * <p>{@code writer=raw} is that reference inside this class: the very loop of
 * {@link io.tessera.bench.segment.RawWriteBench} (positional writes, fdatasync per part, one file
 * per thread), run right before or after the engine configuration of the same size and threads.
 * The disk of this VM drifts by tens of percent within minutes, so the engine/raw ratio is taken
 * between these neighbours rather than against a suite that ran five minutes earlier.
 *
 * <p>A fresh engine (new data directory) per iteration keeps the disk from filling; each thread
 * uploads into its own upload, moving to a new one after 10 000 parts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.IGNORE_UNRECOGNIZED, BenchJvm.OPEN_REFLECT, BenchJvm.OPEN_LANG,
        BenchJvm.OPEN_NIO, BenchJvm.EXPORT_NIO_CH, BenchJvm.EXPORT_REF, BenchJvm.EXPORT_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.UNSAFE_MEMORY, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX})
public class PartAppendBench {
    static final int CHUNK = 256 * BenchFiles.KIB;

    @Param({"8", "64"})
    public int partMiB;

    /** {@code engine}: UploadPart through the engine; {@code raw}: the raw reference. */
    @Param({"engine", "raw"})
    public String writer;

    BenchEngine node;

    @Setup(Level.Iteration)
    public void openEngine() {
        node = BenchEngine.open("parts", UnaryOperator.identity());
    }

    @TearDown(Level.Iteration)
    public void closeEngine() {
        node.close();
    }

    /** One client streaming parts of one upload. */
    @State(Scope.Thread)
    public static class Uploader {
        private static final java.util.concurrent.atomic.AtomicInteger KEYS = new java.util.concurrent.atomic.AtomicInteger();
        ByteBuffer chunk;
        String key;
        String uploadId;
        int nextPart;
        FileChannel rawFile;
        long rawPosition;

        @Setup(Level.Trial)
        public void payload() {
            chunk = BenchFiles.payload(CHUNK, Thread.currentThread().getId());
        }

        @Setup(Level.Iteration)
        public void newUpload(PartAppendBench b) {
            int n = KEYS.incrementAndGet();
            key = "big/" + n;
            uploadId = b.node.engine.createUpload(BenchEngine.BUCKET, key,
                    UploadOptions.of(ObjectMetadata.EMPTY, BenchEngine.OWNER)).uploadId();
            nextPart = 1;
            if (b.writer.equals("raw")) {
                try {
                    rawFile = FileChannel.open(b.node.dir.resolve("raw-" + n), StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                rawPosition = 0;
            }
        }

        @TearDown(Level.Iteration)
        public void closeRaw() throws IOException {
            if (rawFile != null) {
                rawFile.close();
                rawFile = null;
            }
        }
    }

    @Benchmark
    @Threads(1)
    public PartInfo oneThread(Uploader u, Written w) {
        return uploadPart(u, w);
    }

    @Benchmark
    @Threads(2)
    public PartInfo twoThreads(Uploader u, Written w) {
        return uploadPart(u, w);
    }

    private PartInfo uploadPart(Uploader u, Written w) {
        long length = (long) partMiB * BenchFiles.MIB;
        if (u.rawFile != null) {
            try {
                u.rawPosition = RawWriteBench.appendPart(u.rawFile, u.chunk, u.rawPosition, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            w.mib += partMiB;
            return null;
        }
        if (u.nextPart > 10_000) {
            u.newUpload(this);
        }
        PartInfo info;
        try (BodyWriter<PartInfo> body = node.engine.beginUploadPart(BenchEngine.BUCKET, u.key, u.uploadId,
                u.nextPart++, new PartOptions(null, length))) {
            for (long done = 0; done < length; done += CHUNK) {
                body.write(u.chunk.duplicate());
            }
            info = body.commit(BodyExpectations.NONE);
        }
        w.mib += partMiB;
        return info;
    }
}
