package io.tessera.server.auth;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CredentialStore} held in a concurrent map. Thread-safe; keys may be added or removed at run time. */
public final class InMemoryCredentialStore implements CredentialStore {
    private final Map<String, Credential> byKeyId = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemoryCredentialStore() {
    }

    /** A store holding {@code credentials} (a later duplicate key id replaces an earlier one). */
    public InMemoryCredentialStore(Collection<Credential> credentials) {
        credentials.forEach(this::put);
    }

    /** A store holding the given credentials. */
    public static InMemoryCredentialStore of(Credential... credentials) {
        return new InMemoryCredentialStore(List.of(credentials));
    }

    /** Adds or replaces the credential for its access key id. */
    public void put(Credential credential) {
        byKeyId.put(credential.accessKeyId(), credential);
    }

    /** Removes the key; requests signed with it fail with {@code InvalidAccessKeyId} from then on. */
    public void remove(String accessKeyId) {
        byKeyId.remove(accessKeyId);
    }

    @Override
    public Optional<Credential> find(String accessKeyId) {
        return Optional.ofNullable(byKeyId.get(accessKeyId));
    }
}
