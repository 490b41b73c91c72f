package io.tessera.engine.meta;

import org.rocksdb.Snapshot;

/** A consistent, point-in-time view of the metadata. Thread-safe; close it when done. */
public final class MetaSnapshot implements MetaView, AutoCloseable {
    private final MetaStore store;
    private final Snapshot snapshot;

    MetaSnapshot(MetaStore store, Snapshot snapshot) {
        this.store = store;
        this.snapshot = snapshot;
    }

    @Override
    public byte[] get(ColumnFamily cf, byte[] key) {
        return store.get(cf, key, snapshot);
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
