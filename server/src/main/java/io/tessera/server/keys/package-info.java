/**
 * Access keys and what they may do: keys and their per-bucket permissions (read, write, owner) as rows
 * of the engine's replicated state ({@link io.tessera.server.keys.KeyStore}), and the node's live view
 * of them ({@link io.tessera.server.keys.KeyRing}).
 *
 * <p>The node's admin credentials (given to {@code serve}) are not among them: they may do everything on
 * every bucket. Every other key is an {@link io.tessera.server.keys.AccessKey}, changed only by engine
 * commands (through the admin API, which the {@code tessera key} and {@code tessera bucket} commands
 * use), so every member of a group holds the same keys; a node's ring reloads them whenever its engine
 * applies such a command. Grants are tied to a bucket's life: creating a bucket starts its grants afresh
 * (its creator gets all three), deleting it drops them, in the bucket's own command. The key file of
 * older versions ({@link io.tessera.server.keys.KeyFile}) is imported once at start
 * ({@link io.tessera.server.keys.KeyFileImport}).
 */
package io.tessera.server.keys;
