package io.tessera.server.xml;

/**
 * GetBucketLocation response: {@code <LocationConstraint>region</LocationConstraint>}; the element is empty for
 * {@code us-east-1}, as on AWS.
 *
 * @param region the region, or null for an empty element
 */
public record LocationConstraint(String region) implements S3XmlDocument {
    @Override
    public String rootElement() {
        return "LocationConstraint";
    }
}
