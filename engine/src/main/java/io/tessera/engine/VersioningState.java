package io.tessera.engine;

/**
 * A bucket's versioning: never enabled, or Enabled and Suspended, between which it may move but never
 * back to {@link #UNVERSIONED}.
 */
public enum VersioningState {
    UNVERSIONED,
    ENABLED,
    SUSPENDED
}
