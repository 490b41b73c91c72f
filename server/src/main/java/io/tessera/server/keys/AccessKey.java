package io.tessera.server.keys;

import io.tessera.server.auth.Credential;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One key of the key store: its credential, a label, when it was made, and its permissions by bucket
 * name (buckets without any permission are absent). Immutable; {@link #toString()} never prints the
 * secret.
 *
 * @param accessKeyId      the public key id clients send
 * @param secretKey        the secret both sides sign with
 * @param name             a label for people (may be empty)
 * @param ownerId          canonical id of the owner the key acts as, 64 hex digits
 * @param ownerDisplayName display name of that owner
 * @param created          when the key was made
 * @param buckets          permissions by bucket name, none of them {@link Permissions#NONE}
 */
public record AccessKey(String accessKeyId, String secretKey, String name, String ownerId, String ownerDisplayName,
                        Instant created, SortedMap<String, Permissions> buckets) {

    /** Checks the components and freezes the bucket map. */
    public AccessKey {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerDisplayName, "ownerDisplayName");
        Objects.requireNonNull(created, "created");
        if (accessKeyId.isEmpty() || secretKey.isEmpty()) {
            throw new IllegalArgumentException("access key id and secret must not be empty");
        }
        if (!KeyMaterial.isOwnerId(ownerId)) {
            throw new IllegalArgumentException("the owner id of key " + accessKeyId
                    + " must be 64 lower-case hex digits");
        }
        TreeMap<String, Permissions> copy = new TreeMap<>();
        for (Map.Entry<String, Permissions> e : buckets.entrySet()) {
            if (!e.getValue().isNone()) {
                copy.put(Objects.requireNonNull(e.getKey()), e.getValue());
            }
        }
        buckets = Collections.unmodifiableSortedMap(copy);
    }

    /** A fresh key with no permissions. */
    public static AccessKey create(String accessKeyId, String secretKey, String name, String ownerId,
                                   String ownerDisplayName, Instant created) {
        return new AccessKey(accessKeyId, secretKey, name, ownerId, ownerDisplayName, created, new TreeMap<>());
    }

    /** The credential requests are verified with. */
    public Credential credential() {
        return new Credential(accessKeyId, secretKey, ownerId, ownerDisplayName);
    }

    /** What the key may do on {@code bucket}. */
    public Permissions permissions(String bucket) {
        return buckets.getOrDefault(bucket, Permissions.NONE);
    }

    /** This key with exactly {@code p} on {@code bucket}. */
    public AccessKey withPermissions(String bucket, Permissions p) {
        TreeMap<String, Permissions> next = new TreeMap<>(buckets);
        next.put(bucket, p);
        return new AccessKey(accessKeyId, secretKey, name, ownerId, ownerDisplayName, created, next);
    }

    @Override
    public String toString() {
        return "AccessKey[accessKeyId=" + accessKeyId + ", name=" + name + ", ownerId=" + ownerId
                + ", ownerDisplayName=" + ownerDisplayName + ", created=" + created + ", buckets=" + buckets + "]";
    }
}
