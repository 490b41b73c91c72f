package io.tessera.server.cors;

import io.tessera.server.http.S3Response;
import io.tessera.server.xml.CorsConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Access-Control-*} headers S3 sends for a matching CORS rule, on a preflight answer and on the
 * answer to an actual cross-origin request (errors included). Stateless.
 */
public final class CorsHeaders {
    private CorsHeaders() {
    }

    /** The names of {@code Access-Control-Request-Headers}, lower-cased; empty when absent. */
    public static List<String> requestedHeaders(String header) {
        List<String> out = new ArrayList<>();
        if (header != null) {
            for (String h : header.split(",")) {
                String t = h.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** Adds the headers of a successful preflight. */
    public static void preflight(S3Response r, CorsConfiguration.Rule rule, String origin, List<String> requested) {
        common(r, rule, origin);
        if (!requested.isEmpty()) {
            r.header("Access-Control-Allow-Headers", String.join(", ", requested));
        }
        r.header("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
    }

    /** Adds the headers of an actual request that a rule allows. */
    public static void actual(S3Response r, CorsConfiguration.Rule rule, String origin) {
        common(r, rule, origin);
        String vary = r.headers().get("Vary");
        r.header("Vary", vary == null ? "Origin" : vary + ", Origin");
    }

    private static void common(S3Response r, CorsConfiguration.Rule rule, String origin) {
        boolean any = rule.allowedOrigins().contains("*");
        r.header("Access-Control-Allow-Origin", any ? "*" : origin);
        r.header("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
        if (!rule.exposeHeaders().isEmpty()) {
            r.header("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
        }
        if (rule.maxAgeSeconds() != null) {
            r.header("Access-Control-Max-Age", Integer.toString(rule.maxAgeSeconds()));
        }
        if (!any) {
            r.header("Access-Control-Allow-Credentials", "true");
        }
    }
}
