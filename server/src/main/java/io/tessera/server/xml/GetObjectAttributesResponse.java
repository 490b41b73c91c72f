package io.tessera.server.xml;

import java.util.List;

/**
 * GetObjectAttributes response, root {@code GetObjectAttributesResponse} (what S3 sends; its documentation
 * says {@code GetObjectAttributesOutput}, and SDKs read either). Only the requested attributes are
 * present, in this order: {@code ETag} (unquoted, unlike everywhere else), {@code Checksum} (the
 * {@link Checksums} elements without a composite's {@code -N}, then {@code ChecksumType}),
 * {@code ObjectParts}, {@code StorageClass}, {@code ObjectSize}.
 *
 * @param etag the ETag without quotes, or null
 * @param checksum the object's checksum values; null when not requested or the object has none
 * @param checksumType {@code COMPOSITE} or {@code FULL_OBJECT}, written inside {@code Checksum}
 * @param objectParts a page of the parts of a multipart object, or null
 * @param storageClass the storage class, or null
 * @param objectSize the size in bytes, or null
 */
public record GetObjectAttributesResponse(String etag, Checksums checksum, String checksumType,
        ObjectParts objectParts, String storageClass, Long objectSize) implements S3XmlDocument {
    @Override
    public String rootElement() {
        return "GetObjectAttributesResponse";
    }

    /**
     * {@code ObjectParts}: {@code PartsCount} (all parts), {@code PartNumberMarker}, {@code NextPartNumberMarker},
     * {@code MaxParts}, {@code IsTruncated}, then the flattened {@code Part}s of this page.
     *
     * @param partsCount how many parts the object has
     * @param partNumberMarker the marker asked for (parts above it are listed)
     * @param nextPartNumberMarker the number of the last part listed (0 if none)
     * @param maxParts the page size in effect
     * @param isTruncated whether parts follow this page
     * @param parts the parts of this page, ascending
     */
    public record ObjectParts(int partsCount, int partNumberMarker, int nextPartNumberMarker, int maxParts,
            boolean isTruncated, List<Part> parts) {
        public ObjectParts {
            parts = parts == null ? List.of() : List.copyOf(parts);
        }
    }

    /**
     * One {@code Part}: {@code PartNumber}, {@code Size}, then the part's {@link Checksums} elements.
     *
     * @param partNumber the part number
     * @param size its size in bytes
     * @param checksums its checksum; null means none
     */
    public record Part(int partNumber, long size, Checksums checksums) {
        public Part {
            checksums = checksums == null ? Checksums.NONE : checksums;
        }
    }
}
