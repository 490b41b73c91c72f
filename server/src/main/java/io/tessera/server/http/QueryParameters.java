package io.tessera.server.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Query strings of the node's own HTTP APIs (admin, console): each name at most once. Stateless. */
public final class QueryParameters {
    private QueryParameters() {
    }

    /**
     * Decodes {@code name=value&...} (percent-encoding and {@code +}); a name without {@code =} has the
     * empty value.
     *
     * @throws IllegalArgumentException when a part does not decode or a name is given twice
     */
    public static Map<String, String> parse(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot decode the query string", e);
            }
            if (out.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("query parameter " + name + " given twice");
            }
        }
        return out;
    }
}
