package io.tessera.server.admin;

import io.tessera.server.http.Headers;

/**
 * One request to the admin listener, free of Netty.
 *
 * @param method     the HTTP method
 * @param rawPath    the path as received, still percent-encoded
 * @param rawQuery   the query as received, without {@code ?}, empty when none
 * @param headers    the headers as wire strings (what SigV4 signs)
 * @param bodyLength the number of body bytes received (the admin API takes none)
 */
public record AdminRequest(String method, String rawPath, String rawQuery, Headers headers, long bodyLength) {
    /** A request from its target ({@code /path?query}). */
    public static AdminRequest of(String method, String target, Headers headers, long bodyLength) {
        int q = target.indexOf('?');
        return new AdminRequest(method, q < 0 ? target : target.substring(0, q), q < 0 ? "" : target.substring(q + 1),
                headers, bodyLength);
    }
}
