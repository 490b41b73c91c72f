package io.tessera.engine.meta;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.HistogramType;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.Statistics;
import org.rocksdb.Status;
import org.rocksdb.TickerType;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only owner of RocksDB: one database, one column family per kind of record. Every change goes
 * through {@link #commit(MetaBatch)} as one atomic, WAL-synced batch (concurrent synced commits are
 * group-committed by RocksDB). Segment live-byte counts are merge operands, so batches of different
 * uploads can move the same counter without a read-modify-write race.
 *
 * <p>Thread-safe. Closing waits for in-flight calls and releases every native handle.
 */
public final class MetaStore implements MetaView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetaStore.class);

    static {
        RocksDB.loadLibrary();
    }

    /** Memtable size of each column family (RocksDB's default is 64 MiB). */
    static final long WRITE_BUFFER_BYTES = 4L << 20;
    /** All memtables together; past it the largest is flushed. */
    static final long ALL_WRITE_BUFFERS_BYTES = 32L << 20;
    /**
     * One block cache for every column family (data, index and filter blocks). Without it each family's
     * table factory made a cache of its own, so the node's resident memory grew with the number of
     * families as the metadata was read (seen in a 30-minute soak).
     */
    static final long BLOCK_CACHE_BYTES = 32L << 20;
    /** Past this much WAL, the column families holding the oldest WAL are flushed so that it can go. */
    static final long MAX_WAL_BYTES = 32L << 20;

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles;
    private final Map<ColumnFamily, ColumnFamilyHandle> byFamily = new EnumMap<>(ColumnFamily.class);
    private final UInt64AddOperator addOperator;
    private final BloomFilter bloom;
    private final LRUCache blockCache;
    /** RocksDB's tickers only (no histograms, which would time every call): how many WAL fsyncs ran. */
    private final Statistics statistics;
    private final WriteOptions writeOptions;
    /** For a command log's batches, made durable together by {@link #syncWal()} (group commit). */
    private final WriteOptions unsyncedWrites = new WriteOptions().setSync(false);
    private final boolean sync;
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final MetaTables tables = MetaTables.of(this);
    private boolean closed;
    /** Set by a failed commit, cleared by the next successful one (for the log). */
    private volatile boolean writesFailing;

    private MetaStore(RocksDB db, DBOptions dbOptions, List<ColumnFamilyHandle> handles, WriteOptions writeOptions,
                      UInt64AddOperator addOperator, BloomFilter bloom, LRUCache blockCache, Statistics statistics) {
        this.statistics = statistics;
        this.addOperator = addOperator;
        this.bloom = bloom;
        this.blockCache = blockCache;
        this.db = db;
        this.dbOptions = dbOptions;
        this.handles = handles;
        this.writeOptions = writeOptions;
        this.sync = writeOptions.sync();
    }

    /**
     * Opens (creating if needed) the store in {@code dir}.
     *
     * @param sync whether commits fsync the WAL; only tests that simulate nothing durable turn it off
     */
    public static MetaStore open(Path dir, boolean sync) {
        try {
            Files.createDirectories(dir);
            DBOptions dbo = dbOptions();
            Statistics statistics = new Statistics(EnumSet.allOf(HistogramType.class)); // the histograms to ignore: all
            dbo.setStatistics(statistics);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            List<ColumnFamilyOptions> opts = new ArrayList<>();
            UInt64AddOperator add = new UInt64AddOperator();
            BloomFilter bloom = new BloomFilter(10);
            LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);
            // unused, but RocksDB waits for its write buffer size of free space too before it resumes
            ColumnFamilyOptions defaults = new ColumnFamilyOptions().setWriteBufferSize(WRITE_BUFFER_BYTES);
            opts.add(defaults);
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaults));
            for (ColumnFamily cf : ColumnFamily.values()) {
                ColumnFamilyOptions o = new ColumnFamilyOptions()
                        .setWriteBufferSize(WRITE_BUFFER_BYTES)
                        .setCompressionType(CompressionType.LZ4_COMPRESSION)
                        .setLevelCompactionDynamicLevelBytes(true)
                        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom)
                                .setBlockCache(cache).setCacheIndexAndFilterBlocks(true));
                if (cf == ColumnFamily.SEGMENT_LIVE || cf == ColumnFamily.BUCKET_USAGE) {
                    o.setMergeOperator(add);
                }
                opts.add(o);
                descriptors.add(new ColumnFamilyDescriptor(cf.nameBytes(), o));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(dbo, dir.toString(), descriptors, handles);
            WriteOptions wo = new WriteOptions().setSync(sync);
            MetaStore store = new MetaStore(db, dbo, handles, wo, add, bloom, cache, statistics);
            store.cfOptions.addAll(opts);
            for (ColumnFamily cf : ColumnFamily.values()) {
                store.byFamily.put(cf, handles.get(cf.ordinal() + 1));
            }
            return store;
        } catch (RocksDBException | java.io.IOException e) {
            throw EngineException.io("cannot open metadata store at " + dir, e);
        }
    }

    /**
     * RocksDB sized for the metadata of a storage node rather than for a database server: its rows are
     * small, and the disk it shares with the segments must not vanish into preallocated buffers (with
     * the defaults an empty node held ~75 MiB: a WAL preallocated to 1.1 × the 64 MiB write buffer and a
     * 4 MiB MANIFEST). No file is preallocated, the WAL is bounded and so are the info logs. After a
     * write failed for lack of space, RocksDB's own file manager resumes writes by itself (it looks every
     * 5 s) once {@link #WRITE_BUFFER_BYTES} are free again; the engine keeps more than that free of
     * segment data.
     */
    private static DBOptions dbOptions() {
        return new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setAllowFAllocate(false)
                .setManifestPreallocationSize(64L << 10)
                .setMaxTotalWalSize(MAX_WAL_BYTES)
                .setDbWriteBufferSize(ALL_WRITE_BUFFERS_BYTES)
                .setMaxLogFileSize(1L << 20)
                .setKeepLogFileNum(2);
    }

    /**
     * WAL fsyncs since the store opened. RocksDB makes one leader write and sync the WAL for every synced
     * commit that queued up behind it, so under concurrent commits this grows slower than their number.
     */
    public long walSyncs() {
        return statistics.getTickerCount(TickerType.WAL_FILE_SYNCED);
    }

    /** Typed access to the live store. */
    public MetaTables tables() {
        return tables;
    }

    /** RocksDB's estimate of the number of keys in a column family (cheap; exact only after compaction). */
    long estimateKeys(ColumnFamily cf) {
        closeLock.readLock().lock();
        try {
            ensureOpen();
            return db.getLongProperty(handle(cf), "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            throw EngineException.io("metadata property read failed", e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    ColumnFamilyHandle handle(ColumnFamily cf) {
        return byFamily.get(cf);
    }

    @Override
    public byte[] get(ColumnFamily cf, byte[] key) {
        closeLock.readLock().lock();
        try {
            ensureOpen();
            return db.get(handle(cf), key);
        } catch (RocksDBException e) {
            throw EngineException.io("metadata read failed", e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    static long decodeCounter(byte[] v) {
        return v.length == 8 ? ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0;
    }

    static byte[] encodeCounter(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    public MetaBatch newBatch() {
        return new MetaBatch(this, new WriteBatch(), null);
    }

    /** A batch that runs {@code onClose} when closed (used to hold a lock for the batch's lifetime). */
    public MetaBatch newBatch(Runnable onClose) {
        return new MetaBatch(this, new WriteBatch(), onClose);
    }

    /** Applies the batch atomically and durably (when the store syncs). */
    public void commit(MetaBatch batch) {
        write(batch, writeOptions);
    }

    /**
     * Applies the batch atomically, durable only after the next {@link #syncWal()}: a command log writes
     * each command's batch so, and syncs once for all the commands it applied together.
     */
    public void commitUnsynced(MetaBatch batch) {
        write(batch, unsyncedWrites);
    }

    /** Makes every batch written so far durable (one WAL fsync), when the store syncs at all. */
    public void syncWal() {
        if (!sync) {
            return;
        }
        closeLock.readLock().lock();
        try {
            ensureOpen();
            db.syncWal();
        } catch (RocksDBException e) {
            throw writeFailure(e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    private void write(MetaBatch batch, WriteOptions options) {
        closeLock.readLock().lock();
        try {
            ensureOpen();
            db.write(options, batch.writeBatch());
            if (writesFailing) {
                writesFailing = false;
                LOG.info("metadata writes succeed again");
            }
        } catch (RocksDBException e) {
            throw writeFailure(e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /**
     * A failed commit. Once a write failed for lack of space RocksDB refuses every write with that same
     * status (reads go on) until its file manager sees room and resumes it; so the first one is logged.
     */
    private EngineException writeFailure(RocksDBException e) {
        Status status = e.getStatus();
        boolean noSpace = status != null && status.getSubCode() == Status.SubCode.NoSpace;
        if (!writesFailing) {
            writesFailing = true;
            LOG.warn("metadata writes fail{}: {}", noSpace ? " (disk full; they resume by themselves once "
                    + (WRITE_BUFFER_BYTES >> 20) + " MiB are free)" : "", e.getMessage());
        }
        if (noSpace) {
            return new EngineException(ErrorCode.STORAGE_FULL, "metadata commit failed, the disk is full: "
                    + e.getMessage(), e);
        }
        return EngineException.io("metadata commit failed", e);
    }

    /**
     * Iterates keys in {@code [from, to)} of a column family ({@code to} null: to the end). The cursor
     * must be closed; it holds native resources and keeps the store from closing.
     */
    @Override
    public MetaCursor scan(ColumnFamily cf, byte[] from, byte[] to) {
        return scan(cf, from, to, null);
    }

    MetaCursor scan(ColumnFamily cf, byte[] from, byte[] to, Snapshot snapshot) {
        closeLock.readLock().lock();
        boolean ok = false;
        try {
            ensureOpen();
            Slice upper = to == null ? null : new Slice(to);
            ReadOptions ro = new ReadOptions();
            if (snapshot != null) {
                ro.setSnapshot(snapshot);
            }
            if (upper != null) {
                ro.setIterateUpperBound(upper);
            }
            RocksIterator it = db.newIterator(handle(cf), ro);
            it.seek(from);
            ok = true;
            return new MetaCursor(it, ro, upper, closeLock.readLock());
        } finally {
            if (!ok) {
                closeLock.readLock().unlock();
            }
        }
    }

    /**
     * Writes a checkpoint of the whole store into {@code dir}, which must not exist yet: memtables are
     * flushed first (unsynced commits included), then every file is hard-linked (copied across file
     * systems). It holds exactly the batches committed before the call.
     */
    public void checkpoint(Path dir) {
        closeLock.readLock().lock();
        try {
            ensureOpen();
            try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
                checkpoint.createCheckpoint(dir.toString());
            }
        } catch (RocksDBException e) {
            throw EngineException.io("cannot write a metadata checkpoint to " + dir, e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /** The greatest key of a column family, or null when it is empty. */
    byte[] lastKey(ColumnFamily cf) {
        closeLock.readLock().lock();
        try {
            ensureOpen();
            try (RocksIterator it = db.newIterator(handle(cf))) {
                it.seekToLast();
                return it.isValid() ? it.key() : null;
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /** Looks up many keys of one column family in one call (null for each absent key). */
    @Override
    public List<byte[]> multiGet(ColumnFamily cf, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        closeLock.readLock().lock();
        try {
            ensureOpen();
            return db.multiGetAsList(java.util.Collections.nCopies(keys.size(), handle(cf)), keys);
        } catch (RocksDBException e) {
            throw EngineException.io("metadata read failed", e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /** A consistent point-in-time view; close it to release the snapshot. */
    public MetaSnapshot snapshot() {
        closeLock.readLock().lock();
        try {
            ensureOpen();
            return new MetaSnapshot(this, db.getSnapshot());
        } finally {
            closeLock.readLock().unlock();
        }
    }

    byte[] get(ColumnFamily cf, byte[] key, Snapshot snapshot) {
        closeLock.readLock().lock();
        try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
            ensureOpen();
            return db.get(handle(cf), ro, key);
        } catch (RocksDBException e) {
            throw EngineException.io("metadata read failed", e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    void release(Snapshot snapshot) {
        closeLock.readLock().lock();
        try {
            if (!closed) {
                db.releaseSnapshot(snapshot);
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new EngineException(ErrorCode.CLOSED, "metadata store is closed");
        }
    }

    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                // best effort: every commit was already synced when sync is on
            }
            for (ColumnFamilyHandle h : handles) {
                h.close();
            }
            db.close();
            writeOptions.close();
            unsyncedWrites.close();
            dbOptions.close();
            for (ColumnFamilyOptions o : cfOptions) {
                o.close();
            }
            addOperator.close();
            bloom.close();
            blockCache.close();
            statistics.close();
        } finally {
            closeLock.writeLock().unlock();
        }
    }
}
