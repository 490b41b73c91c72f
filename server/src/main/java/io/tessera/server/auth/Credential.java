package io.tessera.server.auth;

import java.util.Objects;

/**
 * One access key: the id clients send, the shared secret both sides sign with, and the owner the
 * key acts as. Immutable; {@link #toString()} never prints the secret.
 *
 * @param accessKeyId the public key id, e.g. {@code AKIAIOSFODNN7EXAMPLE}
 * @param secretKey the secret access key
 * @param ownerId canonical id of the owning account (rendered as {@code Owner/ID})
 * @param ownerDisplayName display name of the owning account
 */
public record Credential(String accessKeyId, String secretKey, String ownerId, String ownerDisplayName) {

    /** Validates that no component is null and the key id and secret are non-empty. */
    public Credential {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(ownerDisplayName, "ownerDisplayName");
        if (accessKeyId.isEmpty() || secretKey.isEmpty()) {
            throw new IllegalArgumentException("access key id and secret must not be empty");
        }
    }

    @Override
    public String toString() {
        return "Credential[accessKeyId=" + accessKeyId + ", ownerId=" + ownerId
                + ", ownerDisplayName=" + ownerDisplayName + "]";
    }
}
