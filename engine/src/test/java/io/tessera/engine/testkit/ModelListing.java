package io.tessera.engine.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The S3 listing rules written the obvious way, over a sorted list, for comparing with the engine:
 * prefix filter, roll-up of keys by delimiter into common prefixes (each once, only if above the
 * marker), a page of at most {@code max} items, and the last item's key or prefix as next marker.
 */
public final class ModelListing {
    private ModelListing() {
    }

    /** A page: entries and common prefixes in order, whether truncated, and the last item listed. */
    public record Page<T>(List<T> entries, List<String> prefixes, boolean truncated, T lastEntry,
                          String lastPrefix) {
    }

    private record Item<T>(T entry, String prefix) {
    }

    /**
     * @param sorted every candidate entry in listing order, already restricted to those after the marker
     * @param keyOf  the S3 key of an entry
     * @param floor  common prefixes not greater than this are dropped (the marker), or null
     */
    public static <T> Page<T> page(List<T> sorted, Function<T, String> keyOf, String prefix, String delimiter,
                                   String floor, int max) {
        String p = prefix == null ? "" : prefix;
        List<Item<T>> items = new ArrayList<>();
        String lastPrefix = null;
        for (T e : sorted) {
            String key = keyOf.apply(e);
            if (!key.startsWith(p)) {
                continue;
            }
            int idx = delimiter == null || delimiter.isEmpty() ? -1 : key.indexOf(delimiter, p.length());
            if (idx < 0) {
                items.add(new Item<>(e, null));
                continue;
            }
            String cp = key.substring(0, idx + delimiter.length());
            if (!cp.equals(lastPrefix) && (floor == null || cp.compareTo(floor) > 0)) {
                items.add(new Item<>(null, cp));
            }
            lastPrefix = cp;
        }
        List<T> entries = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        int n = Math.max(0, Math.min(max, items.size()));
        for (int i = 0; i < n; i++) {
            Item<T> item = items.get(i);
            if (item.prefix() != null) {
                prefixes.add(item.prefix());
            } else {
                entries.add(item.entry());
            }
        }
        boolean truncated = items.size() > n;
        Item<T> last = n == 0 ? null : items.get(n - 1);
        return new Page<>(entries, prefixes, truncated,
                truncated && last.prefix() == null ? last.entry() : null,
                truncated ? last.prefix() : null);
    }
}
