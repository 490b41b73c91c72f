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
        this(meta, name, reserveStep, 1);
    }

    /** A sequence whose ids start at {@code floor} at the least. */
    public IdSequence(MetaStore meta, String name, long reserveStep, long floor) {
        this.meta = meta;
        this.key = ("seq." + name).getBytes(StandardCharsets.US_ASCII);
        this.reserveStep = reserveStep;
        byte[] v = meta.get(ColumnFamily.SYS, key);
        this.next = Math.max(floor, v == null ? 1 : Keys.getLong(v, 0));
        this.reservedUpTo = next;
    }

    /**
     * Where this node's ids start when ids it hands out must not collide with other nodes' (blob ids in a
     * replicated group, where a command names a blob by the id its writer gave it): a random prefix drawn
     * once per data directory and kept, in the bits above the low 40. Three nodes share one of 4 million
     * prefixes with a chance under one in a million.
     */
    public static long nodeFloor(MetaStore meta) {
        byte[] k = "node.prefix".getBytes(StandardCharsets.US_ASCII);
        byte[] v = meta.get(ColumnFamily.SYS, k);
        long prefix;
        if (v != null) {
            prefix = Keys.getLong(v, 0);
        } else {
            prefix = 1 + new java.security.SecureRandom().nextInt((1 << 22) - 1);
            try (MetaBatch b = meta.newBatch()) {
                b.put(ColumnFamily.SYS, k, Keys.u64(prefix));
                meta.commit(b);
            }
        }
        return prefix << 40;
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
