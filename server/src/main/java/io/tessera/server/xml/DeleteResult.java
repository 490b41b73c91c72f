package io.tessera.server.xml;

import java.util.List;
import java.util.Objects;

/**
 * DeleteObjects response: flattened {@code <Deleted>} entries, then flattened {@code <Error>} entries. In quiet
 * mode the caller passes no Deleted entries.
 *
 * @param deleted keys deleted
 * @param errors keys that failed
 */
public record DeleteResult(List<Deleted> deleted, List<DeleteError> errors) implements S3XmlDocument {
    public DeleteResult {
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    @Override
    public String rootElement() {
        return "DeleteResult";
    }

    /**
     * One {@code <Deleted>}: {@code Key}, {@code VersionId}?, {@code DeleteMarker}?, {@code DeleteMarkerVersionId}?.
     *
     * @param key the key
     * @param versionId version deleted, or null
     * @param deleteMarker whether a delete marker was involved, or null
     * @param deleteMarkerVersionId version of that marker, or null
     */
    public record Deleted(String key, String versionId, Boolean deleteMarker, String deleteMarkerVersionId) {
        public Deleted {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * One {@code <Error>}: {@code Key}, {@code VersionId}?, {@code Code}, {@code Message}.
     *
     * @param key the key
     * @param versionId version, or null
     * @param code S3 error code, e.g. {@code AccessDenied}
     * @param message human-readable text
     */
    public record DeleteError(String key, String versionId, String code, String message) {
        public DeleteError {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
