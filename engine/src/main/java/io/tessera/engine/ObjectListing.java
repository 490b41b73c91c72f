package io.tessera.engine;

import java.util.List;

/**
 * One page of an object listing. When truncated, {@code nextMarker} is the last key or common prefix
 * returned; listing again with it as {@code after} continues where this page stopped.
 */
public record ObjectListing(List<ObjectInfo> objects, List<String> commonPrefixes, boolean truncated,
                            String nextMarker) {
    /** Keys plus common prefixes, the number S3 reports as KeyCount. */
    public int count() {
        return objects.size() + commonPrefixes.size();
    }
}
