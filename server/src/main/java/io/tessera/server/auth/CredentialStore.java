package io.tessera.server.auth;

import java.util.Optional;

/**
 * Looks up access keys. Implementations must be safe to call from many threads at once and should
 * answer quickly: the verifier calls {@link #find} once per authenticated request.
 */
public interface CredentialStore {

    /** The credential for {@code accessKeyId}, or empty when the key is unknown. */
    Optional<Credential> find(String accessKeyId);
}
