package io.tessera.server.route;

/**
 * Bucket and key named by a request URL, as found by {@link AddressingResolver}.
 *
 * @param bucket the bucket name as sent (not yet validated, see {@link BucketNames}); null for service requests
 * @param key the object key, percent-decoded once; null when the request names no key
 * @param virtualHosted true when the bucket came from the Host header rather than the path
 */
public record RequestTarget(String bucket, String key, boolean virtualHosted) {
    public RequestTarget {
        if (bucket == null && key != null) {
            throw new IllegalArgumentException("a key needs a bucket");
        }
    }
}
