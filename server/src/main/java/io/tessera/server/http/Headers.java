package io.tessera.server.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A case-insensitive multimap of HTTP header names to values, in the case each name was first
 * seen. Not thread-safe while being built; treat as read-only once handed on.
 */
public final class Headers {
    private final TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** Adds one value (a repeated name gets several values). */
    public Headers add(String name, String value) {
        map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        return this;
    }

    /** Replaces every value of {@code name} with {@code value}. */
    public Headers set(String name, String value) {
        List<String> values = new ArrayList<>(1);
        values.add(value);
        map.remove(name);
        map.put(name, values);
        return this;
    }

    /** Removes a header. */
    public Headers remove(String name) {
        map.remove(name);
        return this;
    }

    /** The first value, or null. */
    public String get(String name) {
        List<String> v = map.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The first value, if any. */
    public Optional<String> find(String name) {
        return Optional.ofNullable(get(name));
    }

    /** All values of a header, possibly empty. */
    public List<String> all(String name) {
        List<String> v = map.get(name);
        return v == null ? List.of() : Collections.unmodifiableList(v);
    }

    public boolean contains(String name) {
        return map.containsKey(name);
    }

    /** Header names, in case-insensitive order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(map.keySet());
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** Calls {@code action} for every (name, value) pair. */
    public void forEach(BiConsumer<String, String> action) {
        for (Map.Entry<String, List<String>> e : map.entrySet()) {
            for (String v : e.getValue()) {
                action.accept(e.getKey(), v);
            }
        }
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
