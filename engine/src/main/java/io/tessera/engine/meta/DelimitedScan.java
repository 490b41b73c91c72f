package io.tessera.engine.meta;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The S3 listing walk shared by objects and uploads: rows come in key order from a cursor over one
 * bucket's range; with a delimiter, keys sharing the text up to the first delimiter after the prefix
 * roll up into one common prefix, and the cursor seeks past all of them at once.
 *
 * @param <T> what a listed row becomes
 */
final class DelimitedScan<T> {
    private final long bucketId;
    private final String prefix;
    private final String delimiter;
    private final String prefixFloor;
    private final byte[] end;

    /**
     * @param prefixFloor common prefixes not greater than this are not listed (the marker), or null
     * @param end         exclusive upper bound of the cursor's range, or null
     */
    DelimitedScan(long bucketId, String prefix, String delimiter, String prefixFloor, byte[] end) {
        this.bucketId = bucketId;
        this.prefix = prefix == null ? "" : prefix;
        this.delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        this.prefixFloor = prefixFloor;
        this.end = end;
    }

    /** One page: entries and prefixes in order, at most {@code max} together. */
    public record Page<T>(List<T> entries, List<String> prefixes, boolean truncated, T lastEntry,
                          String lastPrefix) {
        /** True when the last thing listed was a common prefix rather than an entry. */
        public boolean endsWithPrefix() {
            return lastPrefix != null;
        }
    }

    /**
     * @param keyOf   the S3 key of the current row
     * @param entryOf what the current row becomes
     */
    Page<T> run(MetaCursor c, int max, Function<MetaCursor, String> keyOf, Function<MetaCursor, T> entryOf) {
        List<T> entries = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        T lastEntry = null;
        String lastPrefix = null;
        boolean truncated = false;
        while (c.valid()) {
            if (entries.size() + prefixes.size() >= max) {
                truncated = true;
                break;
            }
            String key = keyOf.apply(c);
            int idx = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
            if (idx >= 0) {
                String common = key.substring(0, idx + delimiter.length());
                if (prefixFloor == null || Utf8.compare(common, prefixFloor) > 0) {
                    prefixes.add(common);
                    lastPrefix = common;
                    lastEntry = null;
                }
                byte[] next = Keys.prefixEnd(Keys.objectKey(bucketId, common));
                if (next == null || (end != null && Arrays.compareUnsigned(next, end) >= 0)) {
                    break;
                }
                c.seek(next);
                continue;
            }
            lastEntry = entryOf.apply(c);
            lastPrefix = null;
            entries.add(lastEntry);
            c.next();
        }
        return new Page<>(entries, prefixes, truncated, lastEntry, lastPrefix);
    }
}
