package io.tessera.engine.meta;

import java.util.List;

/**
 * One page of an S3 listing walk: entries and common prefixes in key order, at most the page size
 * together.
 *
 * @param lastEntry  the last entry listed, when the page ends with an entry
 * @param lastPrefix the last common prefix listed, when the page ends with one
 * @param <T> what a listed row is
 */
public record Listing<T>(List<T> entries, List<String> prefixes, boolean truncated, T lastEntry,
                         String lastPrefix) {
    static <T> Listing<T> of(DelimitedScan.Page<T> p) {
        return new Listing<>(p.entries(), p.prefixes(), p.truncated(), p.lastEntry(), p.lastPrefix());
    }

    static <T> Listing<T> empty() {
        return new Listing<>(List.of(), List.of(), false, null, null);
    }

    /** True when the last thing listed was a common prefix rather than an entry. */
    public boolean endsWithPrefix() {
        return lastPrefix != null;
    }
}
