package io.tessera.server.keys;

import io.tessera.engine.AccessKeyEntry;
import io.tessera.engine.Engine;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The access keys of the replicated state, as the front end sees them: {@link AccessKey}s built from the
 * engine's rows (a key's document, {@link KeyJson#document}, and its grants as {@link Permissions#bits()}),
 * and every change as one engine command, so that every member of a group holds the same keys. Ids and
 * secrets are drawn here, before the command is logged.
 *
 * <p>Thread-safe (the engine is). Every method but {@link #applied} waits for the engine: not on an event loop.
 */
public final class KeyStore {
    private final Engine engine;

    public KeyStore(Engine engine) {
        this.engine = engine;
    }

    /** The keys as this node has applied them, without waiting for its group (for an access key listener). */
    public KeySet applied() {
        return decode(engine.accessKeys());
    }

    /** The keys, read after everything the group had committed when the read began. */
    public KeySet list() {
        return decode(engine.listAccessKeys());
    }

    static KeySet decode(List<AccessKeyEntry> entries) {
        List<AccessKey> keys = new ArrayList<>(entries.size());
        for (AccessKeyEntry e : entries) {
            Map<String, Permissions> grants = new TreeMap<>();
            e.grants().forEach((bucket, bits) -> grants.put(bucket, Permissions.fromBits(bits)));
            keys.add(KeyJson.fromDocument(e.accessKeyId(), e.document(), grants));
        }
        return KeySet.of(keys);
    }

    static AccessKeyEntry encode(AccessKey k) {
        TreeMap<String, Integer> grants = new TreeMap<>();
        k.buckets().forEach((bucket, p) -> grants.put(bucket, p.bits()));
        return new AccessKeyEntry(k.accessKeyId(), KeyJson.document(k), grants);
    }

    /**
     * Creates a key with no permissions: a fresh id and secret, {@code ownerName} (null: the name, else the
     * id) as its owner's display name.
     */
    public AccessKey create(String name, String ownerName) {
        KeySet keys = list();
        String id = KeyMaterial.newAccessKeyId();
        while (keys.find(id).isPresent()) {
            id = KeyMaterial.newAccessKeyId();
        }
        String display = ownerName != null ? ownerName : name.isEmpty() ? id : name;
        AccessKey k = AccessKey.create(id, KeyMaterial.newSecret(), name, KeyMaterial.ownerIdFor(id), display,
                engine.config().clock().instant().truncatedTo(ChronoUnit.SECONDS));
        engine.putAccessKeys(List.of(encode(k)));
        return k;
    }

    /** Adds {@code keys} (an imported key file's) in one command, their grants included. */
    public void put(List<AccessKey> keys) {
        List<AccessKeyEntry> entries = new ArrayList<>(keys.size());
        keys.forEach(k -> entries.add(encode(k)));
        engine.putAccessKeys(entries);
    }

    /**
     * Deletes the key whose id, or else whose unique name, is {@code idOrName}; returns it.
     *
     * @throws IllegalArgumentException when there is no such key, or several have that name
     */
    public AccessKey delete(String idOrName) {
        AccessKey k = list().resolve(idOrName);
        engine.deleteAccessKey(k.accessKeyId());
        return k;
    }

    /**
     * Gives the key {@code idOrName} the permissions {@code allow} on {@code bucket} and takes {@code deny}
     * away, decided against its grant when the change applies; returns the key as it is then.
     *
     * @throws IllegalArgumentException when there is no such key, or several have that name
     */
    public AccessKey changeGrants(String idOrName, String bucket, Permissions allow, Permissions deny) {
        AccessKey k = list().resolve(idOrName);
        int bits = engine.changeGrants(k.accessKeyId(), bucket, allow.bits(), deny.bits());
        return k.withPermissions(bucket, Permissions.fromBits(bits));
    }
}
