package io.tessera.server.admin;

import io.tessera.engine.Engine;
import io.tessera.server.admin.AdminReports.CreatedKey;
import io.tessera.server.admin.AdminReports.Grant;
import io.tessera.server.admin.AdminReports.KeyInfo;
import io.tessera.server.admin.AdminReports.Keys;
import io.tessera.server.keys.Access;
import io.tessera.server.keys.AccessKey;
import io.tessera.server.keys.KeyStore;
import io.tessera.server.keys.Permissions;
import io.tessera.server.route.BucketNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the admin API and the offline {@code tessera key} and {@code tessera bucket} commands do to access
 * keys: list them, create one, delete one, change its grants on a bucket. Each change is one command of
 * the replicated state, so in a group it holds on every member whichever member took it. Mistakes (an
 * unknown or ambiguous key, a bad bucket name or permission) are {@link AdminRefusal}s (400) and change
 * nothing. Never call one on an event loop: they wait for the engine.
 *
 * <p>Thread-safe (the engine is).
 */
public final class KeyOperations {
    private final KeyStore store;

    public KeyOperations(Engine engine) {
        this.store = new KeyStore(engine);
    }

    public Keys list() {
        List<KeyInfo> out = new ArrayList<>();
        for (AccessKey k : store.list().keys()) {
            out.add(info(k));
        }
        return new Keys(out);
    }

    /** Creates a key with no permissions; {@code ownerName} null: the name, else the key id. */
    public CreatedKey create(String name, String ownerName) {
        AccessKey k = store.create(name == null ? "" : name, ownerName);
        return new CreatedKey(info(k), k.secretKey());
    }

    /** Deletes the key whose id, or else whose unique name, is {@code key}; answers what it was. */
    public KeyInfo delete(String key) {
        try {
            return info(store.delete(key));
        } catch (IllegalArgumentException e) {
            throw new AdminRefusal(400, "InvalidArgument", e.getMessage());
        }
    }

    /** Adds {@code allow} and removes {@code deny} (names among read, write, owner) on {@code bucket}. */
    public Grant changeGrants(String key, String bucket, List<String> allow, List<String> deny) {
        Permissions plus = permissions(allow);
        Permissions minus = permissions(deny);
        if (plus.isNone() && minus.isNone()) {
            throw new AdminRefusal(400, "InvalidArgument", "name at least one of --read, --write, --owner");
        }
        if (!BucketNames.isValid(bucket)) {
            throw new AdminRefusal(400, "InvalidArgument", "not a valid bucket name: " + bucket
                    + " (3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        AccessKey k;
        try {
            k = store.changeGrants(key, bucket, plus, minus);
        } catch (IllegalArgumentException e) {
            throw new AdminRefusal(400, "InvalidArgument", e.getMessage());
        }
        return new Grant(k.accessKeyId(), k.name(), bucket, k.permissions(bucket).names());
    }

    /** Permissions named as the key file and the command line name them. */
    static Permissions permissions(List<String> names) {
        Permissions p = Permissions.NONE;
        for (String n : names) {
            Access found = null;
            for (Access a : Access.values()) {
                if (Permissions.name(a).equals(n)) {
                    found = a;
                }
            }
            if (found == null) {
                throw new AdminRefusal(400, "InvalidArgument", "permissions are read, write and owner, not " + n);
            }
            p = p.plus(Permissions.of(found));
        }
        return p;
    }

    private static KeyInfo info(AccessKey k) {
        Map<String, List<String>> buckets = new LinkedHashMap<>();
        k.buckets().forEach((bucket, p) -> buckets.put(bucket, p.names()));
        return new KeyInfo(k.accessKeyId(), k.name(), k.ownerId(), k.ownerDisplayName(), k.created().toString(),
                buckets);
    }
}
