package io.tessera.engine.meta;

/** Read access to the metadata: the live store, or a consistent snapshot of it. */
public interface MetaView {
    byte[] get(ColumnFamily cf, byte[] key);

    /** Keys in {@code [from, to)} ({@code to} null: to the end); close the cursor. */
    MetaCursor scan(ColumnFamily cf, byte[] from, byte[] to);

    /** Live bytes of a segment (0 when never counted). */
    default long liveBytes(long segmentId) {
        byte[] v = get(ColumnFamily.SEGMENT_LIVE, Keys.u64(segmentId));
        return v == null ? 0 : MetaStore.decodeCounter(v);
    }
}
