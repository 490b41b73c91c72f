package io.tessera.server.cli;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.EngineException;
import io.tessera.engine.GcPolicy;
import io.tessera.server.S3Server;
import io.tessera.server.admin.AdminOperations;
import io.tessera.server.admin.AdminRefusal;
import io.tessera.server.admin.AdminReports.Abort;
import io.tessera.server.admin.AdminReports.CreatedKey;
import io.tessera.server.admin.AdminReports.Grant;
import io.tessera.server.admin.AdminReports.KeyInfo;
import io.tessera.server.admin.AdminReports.Keys;
import io.tessera.server.admin.AdminReports.Cluster;
import io.tessera.server.admin.AdminReports.Fsck;
import io.tessera.server.admin.AdminReports.Gc;
import io.tessera.server.admin.AdminReports.Replace;
import io.tessera.server.admin.AdminReports.SpaceReport;
import io.tessera.server.admin.AdminReports.Status;
import io.tessera.server.admin.AdminReports.Uploads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin operations on a data directory that no node holds: the command opens the engine itself
 * (which runs recovery, as a node's start would) with the background collector off, and closes it at
 * the end. Opening fails while a node runs on the directory (it holds the directory's {@code LOCK});
 * the message then says to ask the node instead.
 *
 * <p>Thread-safe (the engine is).
 */
final class LocalAdmin implements AdminClient {
    private final Path dataDir;
    private final Engine engine;
    private final AdminOperations ops;

    private LocalAdmin(Path dataDir, Engine engine) {
        this.dataDir = dataDir;
        this.engine = engine;
        this.ops = new AdminOperations(engine, S3Server.version(), null);
    }

    /**
     * Opens the engine on {@code dataDir}, which must be an existing data directory no node holds.
     *
     * @param command the command as typed ({@code tessera gc}), for the message when a node holds it
     */
    static LocalAdmin open(Path dataDir, String command) {
        if (!Files.isDirectory(dataDir.resolve("meta"))) {
            throw new AdminException(dataDir + " is not a Tessera data directory (it has no meta/)");
        }
        try {
            return new LocalAdmin(dataDir, Engine.open(EngineConfig.defaults(dataDir).withGc(GcPolicy.MANUAL)));
        } catch (EngineException e) {
            if (heldByNode(dataDir)) {
                throw new AdminException("a running node holds " + dataDir + " (its LOCK): ask that node instead,"
                        + " over its admin listener, for example " + command + " --endpoint http://127.0.0.1:9001 --data "
                        + dataDir + " (the node's --admin-listen address)", e);
            }
            throw new AdminException("cannot open " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Whether another process, or this one, holds the directory's lock file. */
    static boolean heldByNode(Path dataDir) {
        try (FileChannel ch = FileChannel.open(dataDir.resolve("LOCK"), StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "offline on " + dataDir;
    }

    @Override
    public Status status() {
        return run(ops::status);
    }

    @Override
    public SpaceReport space(String bucket) {
        return run(() -> ops.space(bucket));
    }

    @Override
    public Uploads uploads(Cutoff cutoff, String bucket, int limit) {
        return run(() -> ops.uploads(instant(cutoff), bucket, limit));
    }

    @Override
    public Abort abortUploads(Cutoff cutoff, String bucket, int limit, boolean dryRun) {
        return run(() -> ops.abortUploads(instant(cutoff), bucket, limit, dryRun));
    }

    @Override
    public Gc gc() {
        return run(ops::gc);
    }

    @Override
    public Fsck fsck(boolean bodies) {
        return run(() -> ops.fsck(bodies));
    }

    @Override
    public Cluster cluster() {
        throw notInGroup();
    }

    @Override
    public Replace replaceMember(String deadId, String newId, String newAddress) {
        throw notInGroup();
    }

    @Override
    public Keys keys() {
        return run(() -> ops.keys().list());
    }

    @Override
    public CreatedKey createKey(String name, String ownerName) {
        requireNoGroup();
        return run(() -> ops.keys().create(name, ownerName));
    }

    @Override
    public KeyInfo deleteKey(String key) {
        requireNoGroup();
        return run(() -> ops.keys().delete(key));
    }

    @Override
    public Grant changeGrants(String key, String bucket, List<String> allow, List<String> deny) {
        requireNoGroup();
        return run(() -> ops.keys().changeGrants(key, bucket, allow, deny));
    }

    /**
     * Keys are the group's state: a change logged here alone would be this member's only, and its state
     * would part from the group's. A member's directory holds its group's log under {@code group/}.
     */
    private void requireNoGroup() {
        if (Files.isDirectory(dataDir.resolve("group"))) {
            throw new AdminException(dataDir + " belongs to a member of a group, whose keys change for the whole"
                    + " group: give a running member's admin listener with --endpoint");
        }
    }

    /** A group lives in its running nodes: a data directory opened alone has none to ask. */
    private AdminException notInGroup() {
        return new AdminException("offline on " + dataDir + " there is no group to ask: give a running member's"
                + " admin listener with --endpoint");
    }

    private java.time.Instant instant(Cutoff c) {
        return c.before() != null ? c.before() : ops.cutoff(c.olderThan());
    }

    private static <T> T run(Supplier<T> op) {
        try {
            return op.get();
        } catch (EngineException e) {
            throw new AdminException(e.code() + ": " + e.getMessage(), e);
        } catch (AdminRefusal e) {
            throw new AdminException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
