package io.tessera.engine.meta;

import org.rocksdb.Snapshot;

/** A consistent, point-in-time view of the metadata. Thread-safe; close it when done. */
public final class MetaSnapshot implements MetaView, AutoCloseable {
    private final MetaStore store;
    private final Snapshot snapshot;
    private final MetaTables tables;

    MetaSnapshot(MetaStore store, Snapshot snapshot) {
        this.store = store;
        this.snapshot = snapshot;
        this.tables = MetaTables.of(this);
    }

    @Override
    public byte[] get(ColumnFamily cf, byte[] key) {
        return store.get(cf, key, snapshot);
    }

    @Override
    public java.util.List<byte[]> multiGet(ColumnFamily cf, java.util.List<byte[]> keys) {
        java.util.List<byte[]> out = new java.util.ArrayList<>(keys.size());
        for (byte[] k : keys) {
            out.add(get(cf, k));
        }
        return out;
    }

    /** Typed access to the snapshot. */
    public MetaTables tables() {
        return tables;
    }

    @Override
    public MetaCursor scan(ColumnFamily cf, byte[] from, byte[] to) {
        return store.scan(cf, from, to, snapshot);
    }

    @Override
    public void close() {
        store.release(snapshot);
    }
}
