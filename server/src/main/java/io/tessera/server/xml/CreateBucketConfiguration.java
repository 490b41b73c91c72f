package io.tessera.server.xml;

/**
 * CreateBucket request body: {@code <CreateBucketConfiguration><LocationConstraint>region</LocationConstraint>}.
 * Other elements (directory-bucket {@code Location}/{@code Bucket}, {@code Tags}) are ignored.
 *
 * @param locationConstraint the region requested, or null when absent or empty
 */
public record CreateBucketConfiguration(String locationConstraint) implements S3XmlDocument {
    @Override
    public String rootElement() {
        return "CreateBucketConfiguration";
    }
}
