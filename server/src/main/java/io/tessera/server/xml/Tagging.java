package io.tessera.server.xml;

import java.util.List;
import java.util.Objects;

/**
 * The object and bucket tagging document, request and response alike:
 * {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>}. The parser checks only the shape;
 * S3's limits on tags are the handler's to enforce.
 *
 * @param tags the tags in document order
 */
public record Tagging(List<Tag> tags) implements S3XmlDocument {
    public Tagging {
        tags = List.copyOf(tags);
    }

    /** One {@code <Tag>}; the value may be empty, never null. */
    public record Tag(String key, String value) {
        public Tag {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    @Override
    public String rootElement() {
        return "Tagging";
    }
}
