package io.tessera.server.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…} header.
 *
 * @param credential the credential component, unparsed
 * @param signedHeaders lower-case names, sorted
 * @param signature the signature as sent
 */
record AuthorizationHeader(String credential, List<String> signedHeaders, String signature) {
    static final String PREFIX = CanonicalRequest.ALGORITHM + " ";

    /** Parses the header value, or returns null when it is malformed. */
    static AuthorizationHeader parse(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return null;
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : value.substring(PREFIX.length()).split(",", -1)) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            String k = p.substring(0, eq).trim();
            String v = p.substring(eq + 1).trim();
            switch (k) {
                case "Credential" -> {
                    if (credential != null) {
                        return null;
                    }
                    credential = v;
                }
                case "SignedHeaders" -> {
                    if (signedHeaders != null) {
                        return null;
                    }
                    signedHeaders = v;
                }
                case "Signature" -> {
                    if (signature != null) {
                        return null;
                    }
                    signature = v;
                }
                default -> {
                    return null;
                }
            }
        }
        if (credential == null || signedHeaders == null || signature == null || signature.isEmpty()) {
            return null;
        }
        List<String> names = parseSignedHeaders(signedHeaders);
        return names == null ? null : new AuthorizationHeader(credential, names, signature);
    }

    /** Splits {@code a;b;c} into lower-case sorted names, or returns null if empty or containing an empty name. */
    static List<String> parseSignedHeaders(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String n : s.split(";", -1)) {
            String t = n.trim();
            if (t.isEmpty()) {
                return null;
            }
            names.add(t.toLowerCase(Locale.ROOT));
        }
        names.sort(null);
        return List.copyOf(names);
    }
}
