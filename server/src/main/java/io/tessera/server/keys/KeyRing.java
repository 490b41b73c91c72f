package io.tessera.server.keys;

import io.tessera.server.auth.Credential;
import io.tessera.server.auth.CredentialStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node's keys: its admin credentials, which may do everything on every bucket, and the keys
 * of its {@link KeyFile}, which may do what their grants say. The file is checked once per
 * {@link #POLL} on a thread of its own and reloaded when it was replaced, so keys created, changed or
 * deleted with the {@code tessera key} and {@code tessera bucket} commands take effect without a
 * restart. A file that cannot be parsed at start stops the node; later, the last good keys stay in use
 * and a warning is logged.
 *
 * <p>Lookups read an immutable snapshot and never block or touch the disk; they are safe from any
 * thread, event loops included. Bucket creation and deletion write the file (under its lock, waiting
 * at most {@link KeyFile#LOCK_WAIT}) and belong on I/O threads.
 */
public final class KeyRing implements CredentialStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    /** How often the file is checked for changes. */
    public static final Duration POLL = Duration.ofSeconds(1);

    private record Snapshot(KeySet keys, KeyFile.Stamp stamp) {
    }

    private final Map<String, Credential> admins;
    private final Map<String, String> adminOwners;
    private final KeyFile file;
    private final Object lifecycle = new Object();
    private final ScheduledExecutorService poller;
    private volatile Snapshot current;
    private KeyFile.Stamp lastBad;

    private KeyRing(Collection<Credential> admins, KeyFile file, Snapshot first) {
        Map<String, Credential> a = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        for (Credential c : admins) {
            a.put(c.accessKeyId(), c);
            owners.putIfAbsent(c.ownerId(), c.ownerDisplayName());
        }
        this.admins = Map.copyOf(a);
        this.adminOwners = Map.copyOf(owners);
        this.file = file;
        this.current = first;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tessera-keys");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the key file of {@code dataDir} (none is fine) and starts watching it.
     *
     * @throws IllegalArgumentException when the file exists and is not a key file
     * @throws UncheckedIOException when it cannot be read
     */
    public static KeyRing open(Path dataDir, Collection<Credential> admins) {
        KeyFile file = KeyFile.in(dataDir);
        KeyFile.Stamp stamp = file.stamp();
        KeyRing ring = new KeyRing(admins, file, new Snapshot(file.read(), stamp));
        ring.describe();
        ring.poller.scheduleWithFixedDelay(ring::refreshQuietly, POLL.toMillis(), POLL.toMillis(),
                TimeUnit.MILLISECONDS);
        return ring;
    }

    private void describe() {
        KeySet keys = current.keys();
        for (AccessKey k : keys.keys()) {
            if (admins.containsKey(k.accessKeyId())) {
                LOG.warn("key {} in {} is also an admin key; it acts as the admin key", k.accessKeyId(),
                        file.path());
            }
        }
        if (keys.size() > 0) {
            LOG.info("{} access keys in {}", keys.size(), file.path());
            warnIfOpen();
        }
    }

    private void warnIfOpen() {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file.path());
            if (!KeyFile.OWNER_ONLY.containsAll(mode)) {
                LOG.warn("{} holds secrets and is readable by others: chmod 600 it", file.path());
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no file, or no POSIX modes to check
        }
    }

    @Override
    public Optional<Credential> find(String accessKeyId) {
        Credential admin = admins.get(accessKeyId);
        if (admin != null) {
            return Optional.of(admin);
        }
        return current.keys().find(accessKeyId).map(AccessKey::credential);
    }

    /** Whether {@code accessKeyId} is one of the node's admin keys. */
    public boolean isAdmin(String accessKeyId) {
        return admins.containsKey(accessKeyId);
    }

    /** What {@code accessKeyId} may do on {@code bucket}: everything for an admin key, nothing for an unknown one. */
    public Permissions permissions(String accessKeyId, String bucket) {
        if (admins.containsKey(accessKeyId)) {
            return Permissions.ALL;
        }
        return current.keys().find(accessKeyId).map(k -> k.permissions(bucket)).orElse(Permissions.NONE);
    }

    /** The display name of an owner some key acts as, or null when no key does. */
    public String displayName(String ownerId) {
        String admin = adminOwners.get(ownerId);
        return admin != null ? admin : current.keys().displayName(ownerId);
    }

    /** The keys of the file as last loaded. */
    public KeySet keys() {
        return current.keys();
    }

    /**
     * Runs {@code step} (a bucket's creation or deletion in the engine, with {@link #bucketCreated} or
     * {@link #bucketDeleted}) alone among such steps, so that the grants in the file follow the buckets'
     * order of creation and deletion.
     */
    public <T> T bucketLifecycle(Supplier<T> step) {
        synchronized (lifecycle) {
            return step.get();
        }
    }

    /**
     * Starts the grants of a bucket just created afresh: grants left from an earlier bucket of that name
     * are dropped, and a creator that is not an admin gets read, write and owner.
     */
    public void bucketCreated(String bucket, String creatorAccessKeyId) {
        boolean admin = admins.containsKey(creatorAccessKeyId);
        edit(keys -> {
            KeySet fresh = keys.withoutGrantsOn(bucket);
            if (admin) {
                return fresh;
            }
            AccessKey creator = fresh.find(creatorAccessKeyId).orElseThrow(() -> new IllegalStateException(
                    "key " + creatorAccessKeyId + " was deleted while it created bucket " + bucket));
            return fresh.with(creator.withPermissions(bucket, Permissions.ALL));
        });
    }

    /**
     * Drops every grant on a bucket just deleted. Should the file be locked or unwritable, the grants stay
     * (a warning says so) and are dropped when a bucket of that name is created again.
     */
    public void bucketDeleted(String bucket) {
        try {
            edit(keys -> keys.withoutGrantsOn(bucket));
        } catch (RuntimeException e) {
            LOG.warn("bucket {} is deleted but its grants stay in {} until it is created again: {}", bucket,
                    file.path(), e.getMessage());
        }
    }

    /** Changes the file (read afresh under its lock: the snapshot may be up to a poll behind) and installs the result. */
    private synchronized void edit(UnaryOperator<KeySet> change) {
        KeyFile.Updated u = file.update(change);
        current = new Snapshot(u.keys(), u.stamp());
    }

    /**
     * Reloads the file if it was replaced since it was last read.
     *
     * @throws IllegalArgumentException when the new file is not a key file (the last good keys stay in use)
     * @throws UncheckedIOException when it cannot be read
     */
    public synchronized void refresh() {
        KeyFile.Stamp stamp = file.stamp();
        if (stamp.equals(current.stamp())) {
            return;
        }
        KeySet keys = file.read();
        int before = current.keys().size();
        current = new Snapshot(keys, stamp);
        lastBad = null;
        LOG.info("reloaded {}: {} access keys (was {})", file.path(), keys.size(), before);
    }

    private void refreshQuietly() {
        KeyFile.Stamp stamp = null;
        try {
            stamp = file.stamp();
            refresh();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (stamp == null || !stamp.equals(lastBad)) {
                    lastBad = stamp;
                    LOG.warn("keeping the keys loaded before: {}", e.getMessage());
                }
            }
        }
    }

    /** Stops watching the file. */
    @Override
    public void close() {
        poller.shutdownNow();
    }
}
