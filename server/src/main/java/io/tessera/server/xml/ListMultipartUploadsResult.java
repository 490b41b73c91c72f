package io.tessera.server.xml;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * ListMultipartUploads response. Elements in order: {@code Bucket}, {@code KeyMarker}, {@code UploadIdMarker},
 * {@code NextKeyMarker}, {@code NextUploadIdMarker}, {@code Delimiter}?, {@code Prefix}, {@code MaxUploads},
 * {@code IsTruncated}, {@code EncodingType}?, {@code Upload}* (flattened), {@code CommonPrefixes}*. The four
 * markers and Prefix are always written (null as an empty element); Delimiter and EncodingType only when
 * requested. With {@code encodingType} {@code url}, KeyMarker, NextKeyMarker, Delimiter, Prefix, each Upload's
 * Key and each common prefix are url-encoded on output; pass them unencoded.
 *
 * @param bucket bucket name
 * @param keyMarker key-marker requested, or null
 * @param uploadIdMarker upload-id-marker requested, or null
 * @param nextKeyMarker key marker for the next page, or null
 * @param nextUploadIdMarker upload id marker for the next page, or null
 * @param delimiter delimiter, or null when none was requested
 * @param prefix prefix requested, or null
 * @param maxUploads max-uploads in effect
 * @param isTruncated whether more results follow
 * @param encodingType {@code url} when requested, else null
 * @param uploads the uploads, by key then initiation time
 * @param commonPrefixes the rolled-up prefixes
 */
public record ListMultipartUploadsResult(String bucket, String keyMarker, String uploadIdMarker,
        String nextKeyMarker, String nextUploadIdMarker, String delimiter, String prefix, int maxUploads,
        boolean isTruncated, String encodingType, List<Upload> uploads, List<String> commonPrefixes)
        implements S3XmlDocument {
    public ListMultipartUploadsResult {
        Objects.requireNonNull(bucket, "bucket");
        uploads = uploads == null ? List.of() : List.copyOf(uploads);
        commonPrefixes = commonPrefixes == null ? List.of() : List.copyOf(commonPrefixes);
    }

    @Override
    public String rootElement() {
        return "ListMultipartUploadsResult";
    }

    /**
     * One {@code <Upload>}: {@code Key}, {@code UploadId}, {@code Initiator}?, {@code Owner}?,
     * {@code StorageClass}?, {@code Initiated}, {@code ChecksumAlgorithm}?, {@code ChecksumType}?.
     *
     * @param key object key
     * @param uploadId upload id
     * @param initiator who started it, or null
     * @param owner owner, or null
     * @param storageClass storage class, or null
     * @param initiated initiation time
     * @param checksumAlgorithm checksum algorithm, or null
     * @param checksumType checksum type, or null
     */
    public record Upload(String key, String uploadId, Owner initiator, Owner owner, String storageClass,
            Instant initiated, String checksumAlgorithm, String checksumType) {
        public Upload {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(uploadId, "uploadId");
            Objects.requireNonNull(initiated, "initiated");
        }
    }
}
