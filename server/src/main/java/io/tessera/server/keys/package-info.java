/**
 * Access keys and what they may do: the key store in the data directory ({@code keys.json}), its
 * per-bucket permissions (read, write, owner) and the node's live view of it.
 *
 * <p>The node's admin credentials (given to {@code serve}) are not in the store: they may do everything
 * on every bucket. Every other key is a {@link io.tessera.server.keys.AccessKey} in
 * {@link io.tessera.server.keys.KeyFile}, which the {@code tessera key} and {@code tessera bucket}
 * commands edit under a file lock, and which a running node's {@link io.tessera.server.keys.KeyRing}
 * reloads when it changes. Grants are tied to a bucket's life: creating a bucket starts its grants
 * afresh (its creator gets all three), deleting it drops them.
 */
package io.tessera.server.keys;
