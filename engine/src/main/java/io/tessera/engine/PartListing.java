package io.tessera.engine;

import java.util.List;

/** One page of ListParts. {@code nextPartNumberMarker} is the last part number on this page (0 if none). */
public record PartListing(UploadInfo upload, List<PartInfo> parts, int partNumberMarker, int nextPartNumberMarker,
                          int maxParts, boolean truncated) {
}
