package io.tessera.server.xml;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One {@code <Contents>} entry of a ListObjects / ListObjectsV2 page, written as {@code Key}, {@code LastModified},
 * {@code ETag} (quoted), {@code ChecksumAlgorithm} (flattened, one element per value), {@code ChecksumType},
 * {@code Size}, {@code StorageClass}, {@code Owner}.
 *
 * @param key the object key (url-encoded on output when the listing asks for it)
 * @param lastModified modification time
 * @param etag ETag, quoted or not
 * @param checksumAlgorithms checksum algorithms of the object (usually zero or one)
 * @param checksumType {@code COMPOSITE} or {@code FULL_OBJECT}, or null
 * @param size size in bytes
 * @param storageClass storage class, or null
 * @param owner owner, or null (V2 sends it only with {@code fetch-owner=true})
 */
public record ListedObject(String key, Instant lastModified, String etag, List<String> checksumAlgorithms,
        String checksumType, long size, String storageClass, Owner owner) {
    public ListedObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(etag, "etag");
        checksumAlgorithms = checksumAlgorithms == null ? List.of() : List.copyOf(checksumAlgorithms);
    }
}
