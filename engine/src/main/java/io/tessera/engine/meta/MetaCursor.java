package io.tessera.engine.meta;

import java.util.concurrent.locks.Lock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** A forward iterator over a key range. Not thread-safe; close it. */
final class MetaCursor implements AutoCloseable {
    private final RocksIterator it;
    private final ReadOptions options;
    private final Slice upper;
    private final Lock storeOpen;
    private boolean closed;

    MetaCursor(RocksIterator it, ReadOptions options, Slice upper, Lock storeOpen) {
        this.it = it;
        this.options = options;
        this.upper = upper;
        this.storeOpen = storeOpen;
    }

    public boolean valid() {
        return it.isValid();
    }

    public byte[] key() {
        return it.key();
    }

    public byte[] value() {
        return it.value();
    }

    public void next() {
        it.next();
    }

    public void seek(byte[] key) {
        it.seek(key);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        it.close();
        options.close();
        if (upper != null) {
            upper.close();
        }
        storeOpen.unlock();
    }
}
