package io.tessera.engine.meta;

import io.tessera.engine.EngineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.UInt64AddOperator;

/**
 * Replaces a member's replicated rows with those of a checkpoint ({@link MetaStore#checkpoint}, possibly
 * written by another member): every {@link ColumnFamily.Replication#REPLICATED} column family wholly (one
 * range delete, then the checkpoint's rows), and in {@code sys} every key but the node-local ones (id
 * sequences, the node prefix, the {@link InstallMarker}). Blob rows, segments, live bytes and pending
 * blobs stay: they describe this node's own files.
 *
 * <p>The checkpoint is opened read-only as a second database and copied in batches of bounded size, so
 * the store is half replaced between them: the caller sets the {@link InstallMarker} first and repeats
 * the whole replacement after a crash (it is idempotent). The batches are written unsynced and made
 * durable together at the end.
 *
 * <p>Not thread-safe: run by the thread that applies commands, the only writer of replicated rows.
 */
public final class ReplicatedRows {
    /** Rows per batch at most, and bytes: a batch stays small next to the memtable. */
    static final int BATCH_ROWS = 10_000;
    static final long BATCH_BYTES = 1L << 20;

    private ReplicatedRows() {
    }

    /**
     * Replaces the replicated rows of {@code store} with those of the checkpoint in {@code checkpoint};
     * {@code afterBatch} runs after each batch is committed (a test's crash point; production passes a
     * no-op). Returns the number of rows copied.
     */
    public static long replace(MetaStore store, Path checkpoint, Runnable afterBatch) {
        List<ColumnFamily> families = new ArrayList<>();
        for (ColumnFamily cf : ColumnFamily.values()) {
            if (cf.replication() != ColumnFamily.Replication.NODE_LOCAL) {
                families.add(cf);
            }
        }
        try (ReadOnlyCheckpoint source = ReadOnlyCheckpoint.open(checkpoint, families)) {
            long rows = 0;
            for (ColumnFamily cf : families) {
                rows += replaceFamily(store, source, cf, afterBatch);
            }
            store.syncWal();
            return rows;
        }
    }

    /** Whether a {@code sys} key belongs to this node alone: id sequences, the node prefix, the install mark. */
    static boolean isNodeLocalSysKey(byte[] key) {
        String name = new String(key, StandardCharsets.US_ASCII);
        return name.startsWith("seq.") || name.equals("node.prefix") || name.startsWith(InstallMarker.PREFIX);
    }

    private static long replaceFamily(MetaStore store, ReadOnlyCheckpoint source, ColumnFamily cf,
                                      Runnable afterBatch) {
        boolean partly = cf.replication() == ColumnFamily.Replication.PARTLY;
        MetaBatch batch = store.newBatch();
        try {
            if (partly) {
                try (MetaCursor c = store.scan(cf, new byte[0], null)) {
                    for (; c.valid(); c.next()) {
                        if (!isNodeLocalSysKey(c.key())) {
                            batch.delete(cf, c.key());
                        }
                    }
                }
            } else {
                byte[] last = store.lastKey(cf);
                if (last != null) {
                    batch.deleteRange(cf, new byte[0], Arrays.copyOf(last, last.length + 1)); // up to and with last
                }
            }
            long rows = 0;
            long bytes = 0;
            try (RocksIterator it = source.iterator(cf)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (partly && isNodeLocalSysKey(key)) {
                        continue;
                    }
                    byte[] value = it.value();
                    batch.put(cf, key, value);
                    rows++;
                    bytes += key.length + value.length;
                    if (batch.count() >= BATCH_ROWS || bytes >= BATCH_BYTES) {
                        store.commitUnsynced(batch);
                        batch.close();
                        batch = store.newBatch();
                        bytes = 0;
                        afterBatch.run();
                    }
                }
                source.check(it);
            }
            store.commitUnsynced(batch);
            afterBatch.run();
            return rows;
        } finally {
            batch.close();
        }
    }

    /** A checkpoint opened read-only, with the column families to copy; closing releases every handle. */
    private static final class ReadOnlyCheckpoint implements AutoCloseable {
        private final RocksDB db;
        private final DBOptions options;
        private final UInt64AddOperator add;
        private final List<ColumnFamilyOptions> cfOptions;
        private final List<ColumnFamilyHandle> handles;
        private final Map<ColumnFamily, ColumnFamilyHandle> byFamily = new EnumMap<>(ColumnFamily.class);

        private ReadOnlyCheckpoint(RocksDB db, DBOptions options, UInt64AddOperator add,
                                   List<ColumnFamilyOptions> cfOptions, List<ColumnFamilyHandle> handles) {
            this.db = db;
            this.options = options;
            this.add = add;
            this.cfOptions = cfOptions;
            this.handles = handles;
        }

        static ReadOnlyCheckpoint open(Path dir, List<ColumnFamily> families) {
            DBOptions options = new DBOptions();
            UInt64AddOperator add = new UInt64AddOperator();
            List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            ColumnFamilyOptions defaults = new ColumnFamilyOptions();
            cfOptions.add(defaults);
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaults));
            for (ColumnFamily cf : families) {
                ColumnFamilyOptions o = new ColumnFamilyOptions();
                if (cf == ColumnFamily.SEGMENT_LIVE || cf == ColumnFamily.BUCKET_USAGE) {
                    o.setMergeOperator(add); // counters may still be merge operands in the checkpoint's files
                }
                cfOptions.add(o);
                descriptors.add(new ColumnFamilyDescriptor(cf.nameBytes(), o));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try {
                RocksDB db = RocksDB.openReadOnly(options, dir.toString(), descriptors, handles);
                ReadOnlyCheckpoint opened = new ReadOnlyCheckpoint(db, options, add, cfOptions, handles);
                for (int i = 0; i < families.size(); i++) {
                    opened.byFamily.put(families.get(i), handles.get(i + 1));
                }
                return opened;
            } catch (RocksDBException e) {
                cfOptions.forEach(ColumnFamilyOptions::close);
                add.close();
                options.close();
                throw EngineException.io("cannot open the metadata checkpoint in " + dir, e);
            }
        }

        RocksIterator iterator(ColumnFamily cf) {
            return db.newIterator(byFamily.get(cf));
        }

        /** An iterator that stopped early on a read error must not pass for the end of the family. */
        void check(RocksIterator it) {
            try {
                it.status();
            } catch (RocksDBException e) {
                throw EngineException.io("cannot read the metadata checkpoint", e);
            }
        }

        @Override
        public void close() {
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            cfOptions.forEach(ColumnFamilyOptions::close);
            add.close();
            options.close();
        }
    }
}
