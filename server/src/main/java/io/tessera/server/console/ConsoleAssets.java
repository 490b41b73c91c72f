package io.tessera.server.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's page, scripts and style: classpath resources under {@code /console/}, read once when the
 * node starts (a few tens of KiB) and served from memory, so serving them does no I/O on the event loop.
 *
 * <p>Immutable; thread-safe.
 */
final class ConsoleAssets {
    static final String INDEX = "index.html";
    private static final List<String> FILES = List.of(INDEX, "app.js", "sigv4.js", "charts.js", "console.css",
            "favicon.svg");

    /** One file and its media type. */
    record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> byName = new HashMap<>();

    ConsoleAssets() {
        for (String name : FILES) {
            try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the console resource /console/" + name + " is missing from the"
                            + " jar");
                }
                byName.put(name, new Asset(contentType(name), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the console resource " + name, e);
            }
        }
    }

    /** The file {@code name} (no directories), or null. */
    Asset get(String name) {
        return byName.get(name);
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> throw new IllegalArgumentException("no media type for " + name);
        };
    }
}
