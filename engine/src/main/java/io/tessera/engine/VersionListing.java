package io.tessera.engine;

import java.util.List;

/**
 * One page of ListObjectVersions: versions and delete markers in key order, newest first within a
 * key, and common prefixes. When truncated, the next markers are the key and version id of the last
 * entry listed (or the last common prefix, with no version id marker).
 */
public record VersionListing(List<ObjectVersion> versions, List<String> commonPrefixes, boolean truncated,
                             String nextKeyMarker, String nextVersionIdMarker) {
    public VersionListing {
        versions = List.copyOf(versions);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
