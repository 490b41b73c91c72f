package io.tessera.server.xml;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * ListParts response. Elements in order: {@code Bucket}, {@code Key}, {@code UploadId}, {@code Initiator}?,
 * {@code Owner}?, {@code StorageClass}?, {@code PartNumberMarker}, {@code NextPartNumberMarker}?,
 * {@code MaxParts}, {@code IsTruncated}, {@code Part}* (flattened), {@code ChecksumAlgorithm}?,
 * {@code ChecksumType}? ({@code ?} = only when non-null).
 *
 * @param bucket bucket name
 * @param key object key
 * @param uploadId upload id
 * @param initiator who started the upload, or null
 * @param owner owner of the future object, or null
 * @param storageClass storage class, or null
 * @param partNumberMarker the part-number-marker requested (0 when none)
 * @param nextPartNumberMarker number of the last part in this page, or null
 * @param maxParts max-parts in effect
 * @param isTruncated whether more parts follow
 * @param parts the parts, ascending by number
 * @param checksumAlgorithm the upload's checksum algorithm, or null
 * @param checksumType the upload's checksum type, or null
 */
public record ListPartsResult(String bucket, String key, String uploadId, Owner initiator, Owner owner,
        String storageClass, int partNumberMarker, Integer nextPartNumberMarker, int maxParts, boolean isTruncated,
        List<Part> parts, String checksumAlgorithm, String checksumType) implements S3XmlDocument {
    public ListPartsResult {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    @Override
    public String rootElement() {
        return "ListPartsResult";
    }

    /**
     * One {@code <Part>}: {@code PartNumber}, {@code LastModified}, {@code ETag} (quoted), {@code Size}, then the
     * {@link Checksums} elements.
     *
     * @param partNumber part number
     * @param lastModified upload time of the part
     * @param etag the part's ETag
     * @param size size in bytes
     * @param checksums the part's checksums; null means none
     */
    public record Part(int partNumber, Instant lastModified, String etag, long size, Checksums checksums) {
        public Part {
            Objects.requireNonNull(lastModified, "lastModified");
            Objects.requireNonNull(etag, "etag");
            checksums = checksums == null ? Checksums.NONE : checksums;
        }
    }
}
