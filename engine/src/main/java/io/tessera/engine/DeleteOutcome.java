package io.tessera.engine;

/**
 * What a DeleteObject did: {@code versionId} is the version removed or the delete marker added
 * ({@code null} for the null version; Java null when the bucket never had versioning), and
 * {@code deleteMarker} tells whether that version is a delete marker.
 */
public record DeleteOutcome(String versionId, boolean deleteMarker) {
    public static final DeleteOutcome UNVERSIONED = new DeleteOutcome(null, false);
}
