package io.tessera.server.xml;

/**
 * GetBucketVersioning response and PutBucketVersioning body, root {@code VersioningConfiguration}:
 * {@code Status}? ({@code Enabled} or {@code Suspended}; absent for a bucket that never had versioning).
 *
 * @param status the status, or null
 */
public record VersioningConfiguration(String status) implements S3XmlDocument {
    @Override
    public String rootElement() {
        return "VersioningConfiguration";
    }
}
