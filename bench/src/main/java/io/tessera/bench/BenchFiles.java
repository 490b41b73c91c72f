package io.tessera.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.SplittableRandom;

/** Scratch directories on the disk under test, and payload buffers. */
public final class BenchFiles {
    /**
     * Where benchmarks put their files: {@code -Dtessera.bench.dir=...}, by default
     * {@code target/bench-data} under the fork's working directory. It must be on the disk you
     * mean to measure; {@code /tmp} may be a tmpfs.
     */
    public static final String DIR_PROPERTY = "tessera.bench.dir";

    public static final int KIB = 1024;
    public static final int MIB = 1024 * KIB;

    private BenchFiles() {
    }

    /** A new empty directory under the bench root. */
    public static Path newScratchDir(String prefix) {
        try {
            Path root = Path.of(System.getProperty(DIR_PROPERTY, "target/bench-data")).toAbsolutePath();
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree; a null or missing path is fine. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A direct buffer of incompressible bytes, touched once here so that no benchmark pays for first
     * touch. Benchmarks send {@code duplicate()}s of it.
     */
    public static ByteBuffer payload(int size, long seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        SplittableRandom r = new SplittableRandom(seed);
        while (b.remaining() >= 8) {
            b.putLong(r.nextLong());
        }
        while (b.hasRemaining()) {
            b.put((byte) r.nextInt());
        }
        return b.flip();
    }
}
