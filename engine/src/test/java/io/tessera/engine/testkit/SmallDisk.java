package io.tessera.engine.testkit;

import io.tessera.engine.EngineConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small disk to fill in tests. Where this process may mount file systems (root, as on the
 * developers' machines and in CI), a real tmpfs of the asked size: segments and RocksDB both run out of
 * space for real. Where mounting is refused, a simulated one: segment files are written through a
 * {@link FaultyIo} whose capacity makes writes past it fail with "No space left on device", as the
 * kernel says it (RocksDB's files lie outside it and never fill up). Either way the test exercises the
 * engine's ENOSPC path; {@link #real()} tells which.
 *
 * <p>{@link #close()} unmounts. Not thread-safe.
 */
public final class SmallDisk implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmallDisk.class);

    private final Path root;
    private final long size;
    private final FaultyIo simulated;
    private final Path filler;
    /** What the simulated other user takes. */
    private long fillerBytes;

    private SmallDisk(Path root, long size, FaultyIo simulated) {
        this.root = root;
        this.size = size;
        this.simulated = simulated;
        this.filler = root.resolve("filler");
    }

    /** A disk of {@code bytes} mounted on a new directory under {@code parent}: real if it can be. */
    public static SmallDisk create(Path parent, long bytes) {
        return create(parent, bytes, false);
    }

    /** A simulated disk even where a real one could be mounted, so that the simulation is tested too. */
    public static SmallDisk simulated(Path parent, long bytes) {
        return create(parent, bytes, true);
    }

    private static SmallDisk create(Path parent, long bytes, boolean simulate) {
        try {
            Path root = Files.createTempDirectory(parent, "small-disk");
            String refusal = simulate ? "asked for"
                    : run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", root.toString()));
            if (refusal == null) {
                return new SmallDisk(root, bytes, null);
            }
            LOG.info("a simulated disk under the segments only (mounting a tmpfs: {})", refusal);
            FaultyIo io = new FaultyIo();
            io.capacity(bytes);
            return new SmallDisk(root, bytes, io);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real file system of its own, or the simulation under the segments. */
    public boolean real() {
        return simulated == null;
    }

    /** Where a data directory goes. */
    public Path dataDir() {
        return root.resolve("data");
    }

    /** {@code config} with this disk's segment I/O (the simulation's, when not real). */
    public EngineConfig configure(EngineConfig config) {
        return real() ? config : config.withSegmentIo(simulated);
    }

    /** Bytes still free for this process. */
    public long free() {
        if (real()) {
            try {
                return Files.getFileStore(root).getUsableSpace();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Math.max(0, size - simulated.usedBytes() - fillerBytes);
    }

    /** Something else takes every free byte but {@code leave} (a file beside the data directory). */
    public void fillAllBut(long leave) {
        if (!real()) {
            fillerBytes += Math.max(0, free() - leave);
            simulated.capacity(size - fillerBytes);
            return;
        }
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            long want = free() - leave;
            for (long done = 0; done < want; done += block.length) {
                out.write(block, 0, (int) Math.min(block.length, want - done));
            }
            out.flush();
        } catch (IOException e) {
            if (!e.getMessage().contains("No space left on device")) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The other user of the disk lets go of it. */
    public void unfill() {
        if (!real()) {
            fillerBytes = 0;
            simulated.capacity(size);
            return;
        }
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (real() && run(List.of("umount", root.toString())) != null) {
            String lazy = run(List.of("umount", "-l", root.toString()));
            if (lazy != null) {
                throw new IllegalStateException("cannot unmount " + root + ": " + lazy);
            }
        }
        try (var s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}", root, e);
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
