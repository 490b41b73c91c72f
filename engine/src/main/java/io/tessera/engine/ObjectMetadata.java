package io.tessera.engine;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an object carries besides its bytes: content type, user metadata and the other stored
 * headers, as lower-case names to values. The engine stores it verbatim and does not interpret it;
 * the front end decides which request headers belong here.
 */
public record ObjectMetadata(Map<String, String> entries) {
    public static final ObjectMetadata EMPTY = new ObjectMetadata(Map.of());

    public ObjectMetadata {
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    public String get(String name) {
        return entries.get(name);
    }
}
