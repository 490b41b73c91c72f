package io.tessera.server.cors;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.xml.CorsConfiguration;
import io.tessera.server.xml.S3Xml;
import java.util.List;
import java.util.Locale;

/**
 * A bucket's CORS rules, validated as S3 validates PutBucketCors, and how a request is matched against
 * them: the first rule whose origin pattern matches the {@code Origin} exactly (case-sensitive, at most one
 * {@code *} standing for any run of characters), whose methods include the method, and whose header
 * patterns cover every requested header (case-insensitive). Immutable and thread-safe.
 */
public final class CorsRules {
    /** The methods a rule may allow. */
    public static final List<String> METHODS = List.of("GET", "PUT", "HEAD", "POST", "DELETE");
    /** Most rules one configuration may hold. */
    public static final int MAX_RULES = 100;
    /** Largest configuration document S3 accepts. */
    public static final int MAX_BYTES = 64 * 1024;

    private final CorsConfiguration config;

    private CorsRules(CorsConfiguration config) {
        this.config = config;
    }

    /**
     * Validates a PutBucketCors document.
     *
     * @throws S3Exception {@code MalformedXML} without rules, with too many, or with a rule lacking an origin
     *     or a method or with a negative MaxAgeSeconds; {@code InvalidRequest} for an unsupported method, an
     *     origin or header with more than one {@code *}, a header that is no HTTP token, or an ID over 255
     *     characters
     */
    public static CorsRules validated(CorsConfiguration config) {
        if (config.rules().isEmpty() || config.rules().size() > MAX_RULES) {
            throw malformed("a CORS configuration holds 1 to " + MAX_RULES + " rules");
        }
        for (CorsConfiguration.Rule r : config.rules()) {
            if (r.allowedOrigins().isEmpty() || r.allowedMethods().isEmpty()) {
                throw malformed("every CORSRule needs an AllowedOrigin and an AllowedMethod");
            }
            if (r.maxAgeSeconds() != null && r.maxAgeSeconds() < 0) {
                throw malformed("MaxAgeSeconds must not be negative");
            }
            if (r.id() != null && r.id().length() > 255) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The ID of a CORSRule is at most 255 characters.");
            }
            for (String m : r.allowedMethods()) {
                if (!METHODS.contains(m)) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Found unsupported HTTP method in CORS config. Unsupported method is " + m);
                }
            }
            for (String o : r.allowedOrigins()) {
                if (wildcards(o) > 1) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "AllowedOrigin \"" + o + "\" can not have more than one wildcard.");
                }
            }
            for (String h : r.allowedHeaders()) {
                if (wildcards(h) > 1) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "AllowedHeader \"" + h + "\" can not have more than one wildcard.");
                }
                if (!isToken(h.replace("*", ""))) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "AllowedHeader \"" + h + "\" contains invalid character.");
                }
            }
        }
        return new CorsRules(config);
    }

    /** Rules stored by {@link #encode()}. */
    public static CorsRules decode(byte[] stored) {
        return new CorsRules(S3Xml.parseCorsConfiguration(stored));
    }

    /** The stored form: the configuration document as GetBucketCors answers it. */
    public byte[] encode() {
        return S3Xml.toBytes(config);
    }

    public CorsConfiguration configuration() {
        return config;
    }

    /**
     * The first rule allowing {@code method} from {@code origin} with every header of {@code requestHeaders}
     * (lower-case names), or null.
     */
    public CorsConfiguration.Rule match(String origin, String method, List<String> requestHeaders) {
        for (CorsConfiguration.Rule r : config.rules()) {
            if (r.allowedMethods().contains(method) && anyMatches(r.allowedOrigins(), origin, false)
                    && requestHeaders.stream().allMatch(h -> anyMatches(r.allowedHeaders(), h, true))) {
                return r;
            }
        }
        return null;
    }

    private static boolean anyMatches(List<String> patterns, String value, boolean ignoreCase) {
        for (String p : patterns) {
            if (matches(p, value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} matches {@code pattern}, in which one {@code *} stands for any characters. */
    static boolean matches(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        int star = p.indexOf('*');
        if (star < 0) {
            return p.equals(v);
        }
        String head = p.substring(0, star);
        String tail = p.substring(star + 1);
        return v.length() >= head.length() + tail.length() && v.startsWith(head) && v.endsWith(tail);
    }

    private static int wildcards(String s) {
        return (int) s.chars().filter(c -> c == '*').count();
    }

    /** RFC 9110 token characters. */
    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static S3Exception malformed(String why) {
        return new S3Exception(S3ErrorCode.MALFORMED_XML,
                S3ErrorCode.MALFORMED_XML.defaultMessage() + " (" + why + ")");
    }
}
