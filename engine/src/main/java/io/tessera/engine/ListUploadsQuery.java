package io.tessera.engine;

/**
 * Parameters of ListMultipartUploads. Null strings mean "not given". {@code uploadIdMarker} only
 * counts together with {@code keyMarker}, as in S3.
 */
public record ListUploadsQuery(String prefix, String delimiter, String keyMarker, String uploadIdMarker,
                               int maxUploads) {
    public static ListUploadsQuery all() {
        return new ListUploadsQuery(null, null, null, null, 1000);
    }
}
