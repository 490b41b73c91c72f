package io.tessera.server.xml;

import java.util.List;
import java.util.Objects;

/**
 * ListObjects (version 1) response, root {@code ListBucketResult}. Elements in order: {@code Name}, {@code Prefix},
 * {@code Marker}, {@code NextMarker}?, {@code MaxKeys}, {@code Delimiter}?, {@code EncodingType}?,
 * {@code IsTruncated}, {@code Contents}*, {@code CommonPrefixes}* ({@code ?} = only when non-null).
 * With {@code encodingType} {@code url}, Prefix, Marker, NextMarker, Delimiter, each Key and each common prefix
 * are url-encoded on output ({@link UrlEncoding}); pass them here unencoded.
 *
 * @param name bucket name
 * @param prefix the prefix requested; null is written as an empty element
 * @param marker the marker requested; null is written as an empty element
 * @param nextMarker next marker when truncated, or null
 * @param maxKeys max-keys in effect
 * @param delimiter delimiter, or null when none was requested (also for an empty one, as AWS does)
 * @param encodingType {@code url} when requested, else null
 * @param isTruncated whether more results follow
 * @param contents the objects
 * @param commonPrefixes the rolled-up prefixes, each written as {@code <CommonPrefixes><Prefix>p</Prefix>}
 */
public record ListBucketResultV1(String name, String prefix, String marker, String nextMarker, int maxKeys,
        String delimiter, String encodingType, boolean isTruncated, List<ListedObject> contents,
        List<String> commonPrefixes) implements S3XmlDocument {
    public ListBucketResultV1 {
        Objects.requireNonNull(name, "name");
        contents = contents == null ? List.of() : List.copyOf(contents);
        commonPrefixes = commonPrefixes == null ? List.of() : List.copyOf(commonPrefixes);
    }

    @Override
    public String rootElement() {
        return "ListBucketResult";
    }
}
