package io.tessera.server.admin;

import java.nio.charset.StandardCharsets;

/**
 * An answer of the admin listener.
 *
 * @param status      the HTTP status
 * @param contentType the body's media type
 * @param body        the body
 */
public record AdminResponse(int status, String contentType, byte[] body) {
    static final String JSON = "application/json";

    static AdminResponse text(int status, String contentType, String body) {
        return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
