package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;

/**
 * A never-repeating id counter persisted in the {@code sys} column family. Ids are handed out from
 * a reserved range whose upper end is made durable before any id in it is used, so a crash can skip
 * ids but never reuse one.
 *
 * <p>Thread-safe.
 */
public final class IdSequence {
    private final MetaStore meta;
    private final byte[] key;
    private final long reserveStep;
    private long next;
    private long reservedUpTo;

    public IdSequence(MetaStore meta, String name, long reserveStep) {
        this.meta = meta;
        this.key = ("seq." + name).getBytes(StandardCharsets.US_ASCII);
        this.reserveStep = reserveStep;
        byte[] v = meta.get(ColumnFamily.SYS, key);
        this.next = v == null ? 1 : Keys.getLong(v, 0);
        this.reservedUpTo = next;
    }

    public synchronized long next() {
        if (next >= reservedUpTo) {
            long upTo = next + reserveStep;
            try (MetaBatch b = meta.newBatch()) {
                b.put(ColumnFamily.SYS, key, Keys.u64(upTo));
                meta.commit(b);
            }
            reservedUpTo = upTo;
        }
        return next++;
    }
}
