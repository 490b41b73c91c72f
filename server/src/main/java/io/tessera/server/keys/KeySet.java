package io.tessera.server.keys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of the key store at one moment, in the order they were added. Immutable: every change
 * returns a new set.
 */
public final class KeySet {
    public static final KeySet EMPTY = new KeySet(new LinkedHashMap<>());

    private final Map<String, AccessKey> byId;
    private final Map<String, String> displayNames;

    private KeySet(LinkedHashMap<String, AccessKey> byId) {
        this.byId = byId;
        Map<String, String> names = new LinkedHashMap<>();
        for (AccessKey k : byId.values()) {
            names.putIfAbsent(k.ownerId(), k.ownerDisplayName());
        }
        this.displayNames = names;
    }

    /** A set holding {@code keys}; two keys with the same id are refused. */
    public static KeySet of(Collection<AccessKey> keys) {
        LinkedHashMap<String, AccessKey> map = new LinkedHashMap<>();
        for (AccessKey k : keys) {
            if (map.put(k.accessKeyId(), k) != null) {
                throw new IllegalArgumentException("key " + k.accessKeyId() + " appears twice");
            }
        }
        return new KeySet(map);
    }

    public List<AccessKey> keys() {
        return List.copyOf(byId.values());
    }

    public int size() {
        return byId.size();
    }

    public Optional<AccessKey> find(String accessKeyId) {
        return Optional.ofNullable(byId.get(accessKeyId));
    }

    /**
     * The key whose id is {@code idOrName}, else the only key with that name.
     *
     * @throws IllegalArgumentException when there is none, or several keys have that name
     */
    public AccessKey resolve(String idOrName) {
        AccessKey k = byId.get(idOrName);
        if (k != null) {
            return k;
        }
        List<AccessKey> named = new ArrayList<>();
        for (AccessKey c : byId.values()) {
            if (c.name().equals(idOrName)) {
                named.add(c);
            }
        }
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no key with id or name " + idOrName);
        }
        throw new IllegalArgumentException(named.size() + " keys are named " + idOrName + "; give its id");
    }

    /** The display name of an owner that some key acts as, or null. */
    public String displayName(String ownerId) {
        return displayNames.get(ownerId);
    }

    /** This set with {@code key} added, or replacing the key with its id. */
    public KeySet with(AccessKey key) {
        LinkedHashMap<String, AccessKey> next = new LinkedHashMap<>(byId);
        next.put(key.accessKeyId(), key);
        return new KeySet(next);
    }

    /** This set without the key {@code accessKeyId}. */
    public KeySet without(String accessKeyId) {
        LinkedHashMap<String, AccessKey> next = new LinkedHashMap<>(byId);
        next.remove(accessKeyId);
        return new KeySet(next);
    }

    /** This set with every permission on {@code bucket} dropped. */
    public KeySet withoutGrantsOn(String bucket) {
        LinkedHashMap<String, AccessKey> next = new LinkedHashMap<>();
        for (AccessKey k : byId.values()) {
            next.put(k.accessKeyId(), k.buckets().containsKey(bucket) ? k.withPermissions(bucket, Permissions.NONE) : k);
        }
        return new KeySet(next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySet s && s.byId.equals(byId) && List.copyOf(s.byId.keySet()).equals(List.copyOf(
                byId.keySet()));
    }

    @Override
    public int hashCode() {
        return byId.hashCode();
    }

    @Override
    public String toString() {
        return "KeySet" + byId.values();
    }
}
