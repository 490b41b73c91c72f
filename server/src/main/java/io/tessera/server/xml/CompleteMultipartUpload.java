package io.tessera.server.xml;

import java.util.List;
import java.util.Objects;

/**
 * CompleteMultipartUpload request body: {@code <CompleteMultipartUpload>} with one or more flattened
 * {@code <Part>} elements. Part numbers and ETags are kept as sent (order, duplicates and quoting are for the
 * handler to judge).
 *
 * @param parts the listed parts, in request order; never empty
 */
public record CompleteMultipartUpload(List<Part> parts) implements S3XmlDocument {
    public CompleteMultipartUpload {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("at least one part");
        }
    }

    @Override
    public String rootElement() {
        return "CompleteMultipartUpload";
    }

    /**
     * One {@code <Part>}: {@code PartNumber}, {@code ETag}, optional checksum elements.
     *
     * @param partNumber the part number as sent (range checks are the handler's)
     * @param etag the ETag as sent, quoted or not
     * @param checksums per-part checksums; null means none
     */
    public record Part(int partNumber, String etag, Checksums checksums) {
        public Part {
            Objects.requireNonNull(etag, "etag");
            checksums = checksums == null ? Checksums.NONE : checksums;
        }
    }
}
