package io.tessera.server.route;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the bucket and key of a request from its Host header and path, for both addressing styles:
 * <ul>
 *   <li><b>virtual-hosted</b>: the Host (port removed, lowercased, trailing dot removed) ends with
 *       {@code "." + baseDomain} for a configured base domain; the bucket is what precedes it
 *       ({@code my.bucket.s3.localhost:9000} gives {@code my.bucket} for base domain {@code s3.localhost}),
 *       and the key is the whole path after the first {@code /}. The longest matching base domain wins,
 *       so {@code localhost} and {@code s3.localhost} can both be configured.</li>
 *   <li><b>path-style</b>: any other Host (a base domain itself, an IP address, an unknown name or none):
 *       the first path segment is the bucket and everything after the following {@code /} is the key
 *       ({@code /bucket/a//b} gives key {@code a//b}).</li>
 * </ul>
 * The key is percent-decoded once ({@link ObjectKeys#percentDecode}); an empty key becomes null; a key over
 * 1024 UTF-8 bytes fails with {@code KeyTooLongError}. Bucket names are NOT validated here (use
 * {@link BucketNames}): which error an invalid name earns depends on the operation.
 *
 * <p>Immutable and thread-safe.
 */
public final class AddressingResolver {
    private final List<String> baseDomains;

    /**
     * @param baseDomains the names under which buckets are virtual hosts, e.g. {@code s3.localhost};
     *     ports and case are ignored, blank entries skipped
     */
    public AddressingResolver(Collection<String> baseDomains) {
        List<String> domains = new ArrayList<>();
        for (String d : baseDomains) {
            String n = normalizeHost(d);
            if (n != null && !n.isEmpty() && !domains.contains(n)) {
                domains.add(n);
            }
        }
        domains.sort(Comparator.comparingInt(String::length).reversed());
        this.baseDomains = List.copyOf(domains);
    }

    /** The configured base domains, normalised, longest first. */
    public List<String> baseDomains() {
        return baseDomains;
    }

    /**
     * Resolves one request.
     *
     * @param host the Host header, may be null
     * @param rawPath the request-target in origin form ({@code /bucket/key?query}); the query is ignored
     * @throws S3Exception {@code InvalidArgument} for a path that is not origin form or does not decode,
     *     {@code InvalidBucketName} for an empty path-style bucket ({@code //key}),
     *     {@code KeyTooLongError} for a key over 1024 bytes
     */
    public RequestTarget resolve(String host, String rawPath) {
        String path = stripQuery(rawPath == null ? "" : rawPath);
        if (path.isEmpty()) {
            path = "/";
        }
        if (path.charAt(0) != '/') {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Couldn't parse the specified URI.")
                    .with("URI", rawPath);
        }
        String vhostBucket = bucketFromHost(normalizeHost(host));
        if (vhostBucket != null) {
            return new RequestTarget(vhostBucket, decodeKey(path.substring(1)), true);
        }
        String rest = path.substring(1);
        if (rest.isEmpty()) {
            return new RequestTarget(null, null, false);
        }
        int slash = rest.indexOf('/');
        String bucket = ObjectKeys.percentDecode(slash < 0 ? rest : rest.substring(0, slash));
        if (bucket.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME);
        }
        String key = slash < 0 ? null : decodeKey(rest.substring(slash + 1));
        return new RequestTarget(bucket, key, false);
    }

    private String bucketFromHost(String host) {
        if (host == null || host.isEmpty() || host.startsWith("[")) {
            return null;
        }
        for (String domain : baseDomains) {
            if (host.equals(domain)) {
                return null;
            }
        }
        for (String domain : baseDomains) {
            if (host.length() > domain.length() + 1 && host.endsWith(domain)
                    && host.charAt(host.length() - domain.length() - 1) == '.') {
                return host.substring(0, host.length() - domain.length() - 1);
            }
        }
        return null;
    }

    private static String decodeKey(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        return ObjectKeys.validate(ObjectKeys.percentDecode(raw));
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** Lowercases, removes a port and a trailing dot; keeps IPv6 literals in brackets. */
    static String normalizeHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }
}
