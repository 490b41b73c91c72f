package io.tessera.server.admin;

import io.tessera.cluster.ClusterStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * Liveness and readiness of a node. Ready means: the engine has opened (recovery is over), the node is
 * not shutting down, and the disk accepts writes, which a tiny write-and-fsync probe in the data
 * directory ({@value #PROBE}) shows. A member of a group is ready only while its group has a leader, its
 * own node has not failed, and it is not catching up: its applied index is at most
 * {@value #CATCHING_UP_ENTRIES} entries behind the commit index it knows. The probe runs at most once per {@link #PROBE_INTERVAL_NANOS};
 * callers in between get its last answer, so an unauthenticated caller cannot make the node write
 * faster than that.
 *
 * <p>Thread-safe. {@link #readiness()} may write and fsync: never call it on an event loop.
 */
public final class Health {
    /** The probe file, in the data directory. */
    public static final String PROBE = ".ready-probe";
    static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;
    /**
     * A member further behind than this is catching up: its reads wait for the entries it misses, so a
     * load balancer should send clients elsewhere. Within it, the last few entries apply in milliseconds.
     */
    public static final long CATCHING_UP_ENTRIES = 1000;

    /** The answer to a readiness check and, when not ready, why not. */
    public record Readiness(boolean ready, String reason) {
    }

    private final Path dataDir;
    private volatile boolean engineOpen;
    private volatile boolean closing;
    /** This node's view of its group; null for a node on its own. */
    private volatile Supplier<ClusterStatus> group;
    private Readiness lastProbe;
    private long lastProbeNanos;

    public Health(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The engine has opened: recovery is over. */
    public void engineOpened() {
        engineOpen = true;
    }

    /** The node runs as a member of a group whose status {@code status} reads (cheap, no I/O). */
    public void groupJoined(Supplier<ClusterStatus> status) {
        group = status;
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
        Supplier<ClusterStatus> g = group;
        if (g != null) {
            Readiness r = groupReadiness(g);
            if (!r.ready()) {
                return r;
            }
        }
        return probe();
    }

    private static Readiness groupReadiness(Supplier<ClusterStatus> group) {
        ClusterStatus s;
        try {
            s = group.get();
        } catch (IllegalStateException e) { // the group's node closed: after a failure, or at shutdown
            return new Readiness(false, "the group's node is closed: " + e.getMessage());
        }
        if (s.failed()) {
            return new Readiness(false, "the group's node failed to apply an entry and no longer serves");
        }
        if (s.leaderId() == null) {
            return new Readiness(false, "the group has no leader (" + s.nodeId() + " is " + s.role() + " in term "
                    + s.term() + ")");
        }
        long behind = s.commitIndex() - s.appliedIndex();
        if (behind > CATCHING_UP_ENTRIES) {
            return new Readiness(false, "catching up: applied index " + s.appliedIndex() + " is " + behind
                    + " entries behind commit index " + s.commitIndex());
        }
        return new Readiness(true, null);
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
