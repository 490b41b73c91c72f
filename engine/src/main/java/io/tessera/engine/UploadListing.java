package io.tessera.engine;

import java.util.List;

/**
 * One page of ListMultipartUploads: uploads ordered by key then upload id (which sorts by creation),
 * common prefixes when a delimiter was given, and the markers for the next page when truncated.
 */
public record UploadListing(List<UploadInfo> uploads, List<String> commonPrefixes, boolean truncated,
                            String nextKeyMarker, String nextUploadIdMarker) {
}
