package io.tessera.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.console.ConsoleDocuments.Failure;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer of the console: status, media type, body and the headers beyond those every console answer
 * carries (see {@link ConsoleHandler}). Immutable once built.
 *
 * @param headers extra headers by name (a {@code Set-Cookie}, a {@code Location})
 */
record ConsoleResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    ConsoleResponse {
        headers = Map.copyOf(headers);
    }

    static ConsoleResponse json(int status, Object document) {
        try {
            return new ConsoleResponse(status, JSON, MAPPER.writeValueAsBytes(document), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + document.getClass().getSimpleName(), e);
        }
    }

    static ConsoleResponse failure(int status, String code, String message) {
        return json(status, new Failure(code, message));
    }

    static ConsoleResponse empty(int status) {
        return new ConsoleResponse(status, "text/plain; charset=utf-8", new byte[0], Map.of());
    }

    static ConsoleResponse redirect(String location) {
        return new ConsoleResponse(302, "text/plain; charset=utf-8",
                ("see " + location + "\n").getBytes(StandardCharsets.UTF_8), Map.of("Location", location));
    }

    /** This answer with one more header. */
    ConsoleResponse with(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ConsoleResponse(status, contentType, body, h);
    }
}
