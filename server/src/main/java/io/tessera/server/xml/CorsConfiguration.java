package io.tessera.server.xml;

import java.util.List;

/**
 * A bucket's CORS configuration, request and response alike: {@code <CORSConfiguration>} with one
 * {@code <CORSRule>} per rule. The parser checks only the shape; the rules' validation is the handler's.
 *
 * @param rules the rules in document order
 */
public record CorsConfiguration(List<Rule> rules) implements S3XmlDocument {
    public CorsConfiguration {
        rules = List.copyOf(rules);
    }

    /**
     * One {@code <CORSRule>}: {@code ID}?, {@code AllowedHeader}*, {@code AllowedMethod}+, {@code AllowedOrigin}+,
     * {@code ExposeHeader}*, {@code MaxAgeSeconds}?.
     *
     * @param id the rule's id, or null
     * @param allowedOrigins origins, each with at most one {@code *}
     * @param allowedMethods GET, PUT, HEAD, POST or DELETE
     * @param allowedHeaders request headers a preflight may ask for, each with at most one {@code *}
     * @param exposeHeaders response headers scripts may read
     * @param maxAgeSeconds how long a browser may cache a preflight answer, or null
     */
    public record Rule(String id, List<String> allowedOrigins, List<String> allowedMethods,
                       List<String> allowedHeaders, List<String> exposeHeaders, Integer maxAgeSeconds) {
        public Rule {
            allowedOrigins = List.copyOf(allowedOrigins);
            allowedMethods = List.copyOf(allowedMethods);
            allowedHeaders = List.copyOf(allowedHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }
    }

    @Override
    public String rootElement() {
        return "CORSConfiguration";
    }
}
