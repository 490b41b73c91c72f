package io.tessera.server.xml;

import java.util.List;
import java.util.Objects;

/**
 * DeleteObjects request body, root {@code <Delete>}: optional {@code <Quiet>}, then 1 to
 * {@link S3Xml#MAX_DELETE_OBJECTS} flattened {@code <Object>} elements.
 *
 * @param quiet true when only errors should be reported
 * @param objects the keys to delete, in request order; never empty
 */
public record DeleteObjectsRequest(boolean quiet, List<ObjectIdentifier> objects) implements S3XmlDocument {
    public DeleteObjectsRequest {
        objects = List.copyOf(objects);
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("at least one object");
        }
    }

    @Override
    public String rootElement() {
        return "Delete";
    }

    /**
     * One {@code <Object>}: {@code Key}, then optional {@code VersionId}, and the optional conditions
     * {@code ETag}, {@code LastModifiedTime}, {@code Size} (as sent, trimmed; parsed by the handler).
     *
     * @param key the key, exactly as sent (whitespace kept)
     * @param versionId version, or null
     * @param etag the ETag the object must have, or null
     * @param lastModifiedTime the ISO-8601 time the object must have been last modified at, or null
     * @param size the size the object must have, or null
     */
    public record ObjectIdentifier(String key, String versionId, String etag, String lastModifiedTime,
                                   String size) {
        public ObjectIdentifier {
            Objects.requireNonNull(key, "key");
        }

        public ObjectIdentifier(String key, String versionId) {
            this(key, versionId, null, null, null);
        }
    }
}
