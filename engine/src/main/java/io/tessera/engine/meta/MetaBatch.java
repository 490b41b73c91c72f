package io.tessera.engine.meta;

import io.tessera.engine.EngineException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The changes of one command, applied atomically by {@link MetaStore#commit}. Not thread-safe.
 * Must be closed (it holds a native batch).
 */
public final class MetaBatch implements AutoCloseable {
    private final MetaStore store;
    private final WriteBatch batch;
    private final Runnable onClose;

    MetaBatch(MetaStore store, WriteBatch batch, Runnable onClose) {
        this.store = store;
        this.batch = batch;
        this.onClose = onClose;
    }

    WriteBatch writeBatch() {
        return batch;
    }

    public MetaBatch put(ColumnFamily cf, byte[] key, byte[] value) {
        try {
            batch.put(store.handle(cf), key, value);
        } catch (RocksDBException e) {
            throw EngineException.io("batch put failed", e);
        }
        return this;
    }

    public MetaBatch delete(ColumnFamily cf, byte[] key) {
        try {
            batch.delete(store.handle(cf), key);
        } catch (RocksDBException e) {
            throw EngineException.io("batch delete failed", e);
        }
        return this;
    }

    /** Adds {@code delta} (may be negative) to a segment's live-byte count. */
    public MetaBatch addLiveBytes(long segmentId, long delta) {
        if (delta == 0) {
            return this;
        }
        try {
            batch.merge(store.handle(ColumnFamily.SEGMENT_LIVE), Keys.u64(segmentId), MetaStore.encodeCounter(delta));
        } catch (RocksDBException e) {
            throw EngineException.io("batch merge failed", e);
        }
        return this;
    }

    public int count() {
        return batch.count();
    }

    @Override
    public void close() {
        batch.close();
        if (onClose != null) {
            onClose.run();
        }
    }
}
