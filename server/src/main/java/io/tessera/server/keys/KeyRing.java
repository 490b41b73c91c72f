package io.tessera.server.keys;

import io.tessera.engine.Engine;
import io.tessera.server.auth.Credential;
import io.tessera.server.auth.CredentialStore;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node's keys: its admin credentials, which may do everything on every bucket, and the access
 * keys of the replicated state ({@link KeyStore}), which may do what their grants say. The engine tells
 * the ring of every change of keys or grants it applies (one made through this node, another member, or
 * a checkpoint), on its applying thread and before the change is answered; the ring then reads the keys
 * once and installs them as an immutable snapshot. So a key is in force on a node as soon as that node
 * has applied its command, without a restart.
 *
 * <p>Lookups read the snapshot through one volatile field: they never block or touch the disk and are
 * safe from any thread, event loops included.
 */
public final class KeyRing implements CredentialStore {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

    private final Map<String, Credential> admins;
    private final Map<String, String> adminOwners;
    private final KeyStore store;
    private volatile KeySet current;

    private KeyRing(Collection<Credential> admins, KeyStore store) {
        Map<String, Credential> a = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        for (Credential c : admins) {
            a.put(c.accessKeyId(), c);
            owners.putIfAbsent(c.ownerId(), c.ownerDisplayName());
        }
        this.admins = Map.copyOf(a);
        this.adminOwners = Map.copyOf(owners);
        this.store = store;
    }

    /**
     * Loads the keys {@code engine} holds and follows their changes from now on.
     *
     * @throws IllegalArgumentException when a stored key's document cannot be read
     */
    public static KeyRing open(Engine engine, Collection<Credential> admins) {
        KeyRing ring = new KeyRing(admins, new KeyStore(engine));
        engine.onAccessKeysChanged(ring::reloadQuietly);
        ring.reload();
        ring.describe();
        return ring;
    }

    private void describe() {
        KeySet keys = current;
        for (AccessKey k : keys.keys()) {
            if (admins.containsKey(k.accessKeyId())) {
                LOG.warn("access key {} is also an admin key; it acts as the admin key", k.accessKeyId());
            }
        }
        LOG.info("{} access keys", keys.size());
    }

    /** Reads the keys the engine has applied and installs them. */
    private void reload() {
        current = store.applied();
    }

    /** What the engine's listener runs: a key that cannot be read leaves the last good keys in use. */
    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warn("keeping the access keys loaded before: {}", e.getMessage());
        }
    }

    @Override
    public Optional<Credential> find(String accessKeyId) {
        Credential admin = admins.get(accessKeyId);
        if (admin != null) {
            return Optional.of(admin);
        }
        return current.find(accessKeyId).map(AccessKey::credential);
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
        return current.find(accessKeyId).map(k -> k.permissions(bucket)).orElse(Permissions.NONE);
    }

    /** The display name of an owner some key acts as, or null when no key does. */
    public String displayName(String ownerId) {
        String admin = adminOwners.get(ownerId);
        return admin != null ? admin : current.displayName(ownerId);
    }

    /** The access keys as last loaded. */
    public KeySet keys() {
        return current;
    }

    /**
     * Who gets permissions on a bucket {@code creatorAccessKeyId} creates: the creator with all three, or
     * nobody (null) when it is an admin key, which needs none.
     */
    public String bucketGrantee(String creatorAccessKeyId) {
        return admins.containsKey(creatorAccessKeyId) ? null : creatorAccessKeyId;
    }
}
