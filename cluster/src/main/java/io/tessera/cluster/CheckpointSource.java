package io.tessera.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of snapshot installation: on a follower's request it has the state write a
 * checkpoint (on the state thread, so it holds exactly the entries applied before it), then hands
 * its files out in pieces until the follower closes it. This is what Ozone's leader Ozone Manager
 * does over HTTP; here it runs over the Ratis connection the peers already have.
 *
 * <p>Thread-safety: safe for concurrent requests; each checkpoint lives in its own directory.
 */
final class CheckpointSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointSource.class);
    /** The most a follower may ask for at once: well under gRPC's message limit. */
    static final int MAX_PIECE = 1 << 20;
    /** Checkpoints kept open at once; an older one (its follower gone) is dropped for a newer one. */
    private static final int MAX_OPEN = 2;

    private final Path root;
    private final StateThread stateThread;
    private final TermHistory terms;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, Opened> open = new ConcurrentHashMap<>();

    private record Opened(Path dir, CheckpointManifest manifest) {
    }

    CheckpointSource(Path root, StateThread stateThread, TermHistory terms) throws IOException {
        this.root = root;
        this.stateThread = stateThread;
        this.terms = terms;
        // Checkpoints of a previous run are of no use to anyone: their followers asked a dead server.
        Durable.deleteTree(root);
        Files.createDirectories(root);
    }

    /** Writes a new checkpoint and answers its manifest. */
    CompletableFuture<CheckpointManifest> open() {
        long id = nextId.getAndIncrement();
        Path dir = root.resolve(Long.toString(id));
        return stateThread.submit(state -> {
            try {
                Files.createDirectories(dir);
                long index = state.checkpoint(dir);
                return new CheckpointManifest(id, terms.termOf(index), index, listFiles(dir));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + dir, e);
            }
        }).whenComplete((manifest, failure) -> {
            if (failure != null) {
                deleteQuietly(dir);
                return;
            }
            open.put(id, new Opened(dir, manifest));
            LOG.info("checkpoint {} at index {} open for a follower ({} files)", id, manifest.index(),
                    manifest.files().size());
            while (open.size() > MAX_OPEN) {
                open.keySet().stream().min(Long::compare).ifPresent(this::close);
            }
        });
    }

    /** Up to {@code length} bytes of file {@code fileNo} of checkpoint {@code id} from {@code offset}. */
    byte[] read(long id, int fileNo, long offset, int length) throws IOException {
        Opened opened = open.get(id);
        if (opened == null) {
            throw new IOException("checkpoint " + id + " is not open (closed, or replaced by a newer one)");
        }
        CheckpointManifest.FileEntry entry = opened.manifest().files().get(fileNo);
        int n = (int) Math.max(0, Math.min(Math.min(length, MAX_PIECE), entry.size() - offset));
        ByteBuffer buf = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(opened.dir().resolve(entry.path()), StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("checkpoint file " + entry.path() + " is shorter than " + entry.size());
                }
            }
        }
        return buf.array();
    }

    void close(long id) {
        Opened opened = open.remove(id);
        if (opened != null) {
            deleteQuietly(opened.dir());
        }
    }

    @Override
    public void close() {
        open.keySet().forEach(this::close);
    }

    private static List<CheckpointManifest.FileEntry> listFiles(Path dir) throws IOException {
        List<CheckpointManifest.FileEntry> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                files.add(new CheckpointManifest.FileEntry(dir.relativize(p).toString(), Files.size(p)));
            }
        }
        return files;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Durable.deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("cannot delete checkpoint {}", dir, e);
        }
    }
}
