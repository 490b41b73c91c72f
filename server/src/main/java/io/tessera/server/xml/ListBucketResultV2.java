package io.tessera.server.xml;

import java.util.List;
import java.util.Objects;

/**
 * ListObjectsV2 response, root {@code ListBucketResult}. Elements in order: {@code Name}, {@code Prefix},
 * {@code StartAfter}?, {@code ContinuationToken}?, {@code NextContinuationToken}?, {@code KeyCount},
 * {@code MaxKeys}, {@code Delimiter}?, {@code EncodingType}?, {@code IsTruncated}, {@code Contents}*,
 * {@code CommonPrefixes}* ({@code ?} = only when non-null). With {@code encodingType} {@code url}, Prefix,
 * StartAfter, Delimiter, each Key and each common prefix are url-encoded on output; pass them unencoded.
 *
 * @param name bucket name
 * @param prefix prefix requested; null is written as an empty element
 * @param startAfter start-after requested, or null
 * @param continuationToken continuation-token requested, or null
 * @param nextContinuationToken token for the next page when truncated, or null
 * @param keyCount number of keys and common prefixes in this page
 * @param maxKeys max-keys in effect
 * @param delimiter delimiter, or null when none (or an empty one) was requested
 * @param encodingType {@code url} when requested, else null
 * @param isTruncated whether more results follow
 * @param contents the objects
 * @param commonPrefixes the rolled-up prefixes
 */
public record ListBucketResultV2(String name, String prefix, String startAfter, String continuationToken,
        String nextContinuationToken, int keyCount, int maxKeys, String delimiter, String encodingType,
        boolean isTruncated, List<ListedObject> contents, List<String> commonPrefixes) implements S3XmlDocument {
    public ListBucketResultV2 {
        Objects.requireNonNull(name, "name");
        contents = contents == null ? List.of() : List.copyOf(contents);
        commonPrefixes = commonPrefixes == null ? List.of() : List.copyOf(commonPrefixes);
    }

    @Override
    public String rootElement() {
        return "ListBucketResult";
    }
}
