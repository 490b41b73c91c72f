package io.tessera.server.xml;

import java.util.Objects;

/**
 * The answer to a browser form upload with {@code success_action_status=201}: {@code Location}, {@code Bucket},
 * {@code Key}, {@code ETag} (quoted).
 *
 * @param location URL of the new object
 * @param bucket bucket name
 * @param key object key
 * @param etag the object's ETag
 */
public record PostResponse(String location, String bucket, String key, String etag) implements S3XmlDocument {
    public PostResponse {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
    }

    @Override
    public String rootElement() {
        return "PostResponse";
    }
}
