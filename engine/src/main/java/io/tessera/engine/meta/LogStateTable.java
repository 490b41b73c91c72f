package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;

/**
 * Where the state stands in the command log ({@code sys}): the index of the last command applied, and
 * the last version stamp handed out. Every command's batch writes both, so the state and its position
 * in the log never disagree, whatever a crash cuts: a replayed command at or below the applied index
 * is skipped.
 */
public final class LogStateTable {
    private static final byte[] APPLIED_INDEX = "log.applied".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_STAMP = "log.stamp".getBytes(StandardCharsets.US_ASCII);

    private final MetaView view;

    LogStateTable(MetaView view) {
        this.view = view;
    }

    /** The index of the last command applied; 0 before the first. */
    public long appliedIndex() {
        return read(APPLIED_INDEX);
    }

    /** The last version stamp handed out; 0 before the first. */
    public long lastStamp() {
        return read(LAST_STAMP);
    }

    /** Stages the position a command's batch brings the state to. */
    public void put(MetaBatch batch, long appliedIndex, long lastStamp) {
        batch.put(ColumnFamily.SYS, APPLIED_INDEX, Keys.u64(appliedIndex));
        batch.put(ColumnFamily.SYS, LAST_STAMP, Keys.u64(lastStamp));
    }

    private long read(byte[] key) {
        byte[] v = view.get(ColumnFamily.SYS, key);
        return v == null ? 0 : Keys.getLong(v, 0);
    }
}
