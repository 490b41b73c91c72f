package io.tessera.server.xml;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * ListObjectVersions response, root {@code ListVersionsResult}: {@code Name}, {@code Prefix}, {@code KeyMarker},
 * {@code VersionIdMarker}, {@code NextKeyMarker}?, {@code NextVersionIdMarker}?, {@code MaxKeys},
 * {@code Delimiter}?, {@code EncodingType}?, {@code IsTruncated}, then {@code Version} and {@code DeleteMarker}
 * entries interleaved in list order, then {@code CommonPrefixes}*. With {@code encodingType} {@code url}, keys,
 * markers, prefixes and the delimiter are url-encoded on output.
 *
 * @param name bucket name
 * @param prefix prefix requested, or null
 * @param keyMarker key-marker requested, or null
 * @param versionIdMarker version-id-marker requested, or null
 * @param nextKeyMarker where the next page starts, or null
 * @param nextVersionIdMarker where the next page starts within its key, or null
 * @param maxKeys max-keys in effect
 * @param delimiter delimiter, or null
 * @param encodingType {@code url} or null
 * @param isTruncated whether more results follow
 * @param entries versions and delete markers
 * @param commonPrefixes rolled-up prefixes
 */
public record ListVersionsResult(String name, String prefix, String keyMarker, String versionIdMarker,
        String nextKeyMarker, String nextVersionIdMarker, int maxKeys, String delimiter, String encodingType,
        boolean isTruncated, List<Entry> entries, List<String> commonPrefixes) implements S3XmlDocument {
    public ListVersionsResult {
        Objects.requireNonNull(name, "name");
        entries = List.copyOf(entries);
        commonPrefixes = List.copyOf(commonPrefixes);
    }

    /**
     * A {@code Version} or, with {@code deleteMarker}, a {@code DeleteMarker} (no ETag, size or checksum).
     *
     * @param key object key
     * @param versionId version id ({@code null} for the null version)
     * @param latest whether this is the key's current entry
     * @param deleteMarker whether this is a delete marker
     * @param lastModified when the version was made
     * @param etag ETag, unquoted
     * @param size bytes
     * @param checksumAlgorithm checksum algorithm, or null
     * @param checksumType checksum type, or null
     * @param owner owner, or null
     */
    public record Entry(String key, String versionId, boolean latest, boolean deleteMarker, Instant lastModified,
            String etag, long size, String checksumAlgorithm, String checksumType, Owner owner) {
    }

    @Override
    public String rootElement() {
        return "ListVersionsResult";
    }
}
