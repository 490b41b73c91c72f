package io.tessera.server.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Liveness and readiness of a node. Ready means: the engine has opened (recovery is over), the node is
 * not shutting down, and the disk accepts writes, which a tiny write-and-fsync probe in the data
 * directory ({@value #PROBE}) shows. The probe runs at most once per {@link #PROBE_INTERVAL_NANOS};
 * callers in between get its last answer, so an unauthenticated caller cannot make the node write
 * faster than that.
 *
 * <p>Thread-safe. {@link #readiness()} may write and fsync: never call it on an event loop.
 */
public final class Health {
    /** The probe file, in the data directory. */
    public static final String PROBE = ".ready-probe";
    static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;

    /** The answer to a readiness check and, when not ready, why not. */
    public record Readiness(boolean ready, String reason) {
    }

    private final Path dataDir;
    private volatile boolean engineOpen;
    private volatile boolean closing;
    private Readiness lastProbe;
    private long lastProbeNanos;

    public Health(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The engine has opened: recovery is over. */
    public void engineOpened() {
        engineOpen = true;
    }

    /** The node has begun to shut down. */
    public void closing() {
        closing = true;
    }

    public Readiness readiness() {
        if (closing) {
            return new Readiness(false, "the node is shutting down");
        }
        if (!engineOpen) {
            return new Readiness(false, "the engine is opening (recovery is running)");
        }
        return probe();
    }

    private synchronized Readiness probe() {
        long now = System.nanoTime();
        if (lastProbe != null && now - lastProbeNanos < PROBE_INTERVAL_NANOS) {
            return lastProbe;
        }
        Readiness r;
        try (FileChannel ch = FileChannel.open(dataDir.resolve(PROBE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(new byte[] {'o', 'k', '\n'}));
            ch.force(false);
            r = new Readiness(true, null);
        } catch (IOException e) {
            r = new Readiness(false, "the data directory does not accept writes: " + e);
        }
        lastProbe = r;
        lastProbeNanos = System.nanoTime();
        return r;
    }
}
