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

    MetaBatch put(ColumnFamily cf, byte[] key, byte[] value) {
        try {
            batch.put(store.handle(cf), key, value);
        } catch (RocksDBException e) {
            throw EngineException.io("batch put failed", e);
        }
        return this;
    }

    MetaBatch delete(ColumnFamily cf, byte[] key) {
        try {
            batch.delete(store.handle(cf), key);
        } catch (RocksDBException e) {
            throw EngineException.io("batch delete failed", e);
        }
        return this;
    }

    /** Deletes every key in {@code [from, to)}: one operation whatever the number of keys. */
    MetaBatch deleteRange(ColumnFamily cf, byte[] from, byte[] to) {
        try {
            batch.deleteRange(store.handle(cf), from, to);
        } catch (RocksDBException e) {
            throw EngineException.io("batch delete range failed", e);
        }
        return this;
    }

    MetaBatch merge(ColumnFamily cf, byte[] key, byte[] operand) {
        try {
            batch.merge(store.handle(cf), key, operand);
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
