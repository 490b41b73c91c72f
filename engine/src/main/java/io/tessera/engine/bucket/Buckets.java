package io.tessera.engine.bucket;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.IdSequence;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.MetaTables;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Buckets by name, and the bucket-level lock: every change inside a bucket holds its read lock
 * ({@link #enter}), DeleteBucket holds its write lock, so a bucket is never deleted under a write
 * that is about to land in it.
 *
 * <p>Thread-safe.
 */
public final class Buckets {
    private final MetaStore meta;
    private final MetaTables tables;
    private final IdSequence ids;
    private final ConcurrentHashMap<Long, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();
    private final Object createLock = new Object();

    public Buckets(MetaStore meta) {
        this.meta = meta;
        this.tables = meta.tables();
        this.ids = new IdSequence(meta, "bucket", 16);
    }

    public BucketRecord create(String name, String owner, long nowMillis) {
        synchronized (createLock) {
            BucketRecord existing = find(name);
            if (existing != null) {
                throw new EngineException(Objects.equals(existing.owner(), owner)
                        ? ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU : ErrorCode.BUCKET_ALREADY_EXISTS,
                        "bucket " + name + " already exists");
            }
            BucketRecord rec = new BucketRecord(ids.next(), name, nowMillis, owner);
            try (MetaBatch b = meta.newBatch()) {
                tables.buckets().put(b, rec);
                meta.commit(b);
            }
            return rec;
        }
    }

    /** The bucket, or null. */
    public BucketRecord find(String name) {
        return tables.buckets().get(name);
    }

    public BucketRecord require(String name) {
        BucketRecord rec = find(name);
        if (rec == null) {
            throw new EngineException(ErrorCode.NO_SUCH_BUCKET, "bucket " + name + " does not exist");
        }
        return rec;
    }

    public List<BucketRecord> list() {
        return tables.buckets().list();
    }

    /**
     * Takes the bucket's shared lock and returns the bucket as it is under the lock; fails with
     * NO_SUCH_BUCKET if it is gone. Close the returned scope to release the lock.
     */
    public Scope enter(String name) {
        BucketRecord rec = require(name);
        ReentrantReadWriteLock lock = lockOf(rec.id());
        lock.readLock().lock();
        BucketRecord now = find(name);
        if (now == null || now.id() != rec.id()) {
            lock.readLock().unlock();
            throw new EngineException(ErrorCode.NO_SUCH_BUCKET, "bucket " + name + " does not exist");
        }
        return new Scope(now, lock.readLock()::unlock);
    }

    /** Deletes an empty bucket: no objects and no uploads in progress. */
    public void delete(String name) {
        BucketRecord rec = require(name);
        ReentrantReadWriteLock lock = lockOf(rec.id());
        lock.writeLock().lock();
        try {
            BucketRecord now = find(name);
            if (now == null || now.id() != rec.id()) {
                throw new EngineException(ErrorCode.NO_SUCH_BUCKET, "bucket " + name + " does not exist");
            }
            if (tables.objects().any(rec.id()) || tables.versions().any(rec.id()) || tables.uploads().anyOpen(rec.id())) {
                throw new EngineException(ErrorCode.BUCKET_NOT_EMPTY,
                        "bucket " + name + " still holds objects or multipart uploads in progress");
            }
            try (MetaBatch b = meta.newBatch()) {
                tables.buckets().delete(b, name);
                tables.usage().forget(b, rec.id());
                tables.bucketConfig().forget(b, rec.id());
                meta.commit(b);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ReentrantReadWriteLock lockOf(long bucketId) {
        return locks.computeIfAbsent(bucketId, id -> new ReentrantReadWriteLock());
    }

    /** A bucket's sub-resource document ({@code name}), or null when it has none. */
    public byte[] config(String bucket, String name) {
        return tables.bucketConfig().get(require(bucket).id(), name);
    }

    /** Sets (or, with null, removes) a bucket's sub-resource document, atomically. */
    public void setConfig(String bucket, String name, byte[] document) {
        try (Scope scope = enter(bucket); MetaBatch b = meta.newBatch()) {
            if (document == null) {
                tables.bucketConfig().delete(b, scope.bucket().id(), name);
            } else {
                tables.bucketConfig().put(b, scope.bucket().id(), name, document);
            }
            meta.commit(b);
        }
    }

    /**
     * Sets a bucket's versioning state in its row. Writes under way keep the state they read with the
     * bucket, as if they had finished just before.
     */
    public void setVersioning(String name, io.tessera.engine.VersioningState state) {
        synchronized (createLock) {
            try (Scope scope = enter(name); MetaBatch b = meta.newBatch()) {
                tables.buckets().put(b, scope.bucket().withVersioning(state));
                meta.commit(b);
            }
        }
    }

    /** A held shared lock on a bucket. */
    public record Scope(BucketRecord bucket, Runnable unlock) implements AutoCloseable {
        @Override
        public void close() {
            unlock.run();
        }
    }
}
