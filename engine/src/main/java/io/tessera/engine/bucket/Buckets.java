package io.tessera.engine.bucket;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.command.Command;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaTables;
import java.util.List;
import java.util.Objects;

/**
 * Buckets by name: lookups from any thread, and the apply of the bucket commands (create, delete,
 * sub-resource documents, versioning) on the thread that applies commands. Commands apply one at a
 * time, so a bucket is never deleted under a write: a write that was decided for a bucket that is gone
 * by the time it applies answers NO_SUCH_BUCKET.
 *
 * <p>Thread-safe for lookups; the {@code apply} methods belong to the applying thread.
 */
public final class Buckets {
    private final MetaTables tables;

    public Buckets(MetaTables tables) {
        this.tables = tables;
    }

    /** The bucket, or null. */
    public BucketRecord find(String name) {
        return tables.buckets().get(name);
    }

    public BucketRecord require(String name) {
        BucketRecord rec = find(name);
        if (rec == null) {
            throw noSuchBucket(name);
        }
        return rec;
    }

    /** The bucket, if it still is the one with {@code bucketId}; NO_SUCH_BUCKET otherwise. */
    public BucketRecord require(String name, long bucketId) {
        BucketRecord rec = find(name);
        if (rec == null || rec.id() != bucketId) {
            throw noSuchBucket(name);
        }
        return rec;
    }

    private static EngineException noSuchBucket(String name) {
        return new EngineException(ErrorCode.NO_SUCH_BUCKET, "bucket " + name + " does not exist");
    }

    public List<BucketRecord> list() {
        return tables.buckets().list();
    }

    /** A bucket's sub-resource document ({@code name}), or null when it has none. */
    public byte[] config(String bucket, String name) {
        return tables.bucketConfig().get(require(bucket).id(), name);
    }

    public BucketRecord apply(MetaBatch batch, Command.CreateBucket c) {
        BucketRecord existing = find(c.name());
        if (existing != null) {
            throw new EngineException(Objects.equals(existing.owner(), c.owner())
                    ? ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU : ErrorCode.BUCKET_ALREADY_EXISTS,
                    "bucket " + c.name() + " already exists");
        }
        BucketRecord rec = new BucketRecord(c.bucketId(), c.name(), c.nowMillis(), c.owner());
        tables.buckets().put(batch, rec);
        tables.accessKeys().dropGrantsOn(batch, c.name()); // grants left from an earlier bucket of the name
        if (c.grantee() != null && c.granteeBits() != 0 && tables.accessKeys().get(c.grantee()) != null) {
            tables.accessKeys().putGrant(batch, c.name(), c.grantee(), c.granteeBits());
        }
        return rec;
    }

    /** Deletes an empty bucket: no objects, no versions and no uploads in progress. */
    public Void apply(MetaBatch batch, Command.DeleteBucket c) {
        BucketRecord rec = require(c.name());
        if (tables.objects().any(rec.id()) || tables.versions().any(rec.id()) || tables.uploads().anyOpen(rec.id())) {
            throw new EngineException(ErrorCode.BUCKET_NOT_EMPTY,
                    "bucket " + c.name() + " still holds objects or multipart uploads in progress");
        }
        tables.buckets().delete(batch, c.name());
        tables.usage().forget(batch, rec.id());
        tables.bucketConfig().forget(batch, rec.id());
        tables.accessKeys().dropGrantsOn(batch, c.name());
        return null;
    }

    public Void apply(MetaBatch batch, Command.SetBucketConfig c) {
        long id = require(c.bucket()).id();
        if (c.document() == null) {
            tables.bucketConfig().delete(batch, id, c.name());
        } else {
            tables.bucketConfig().put(batch, id, c.name(), c.document());
        }
        return null;
    }

    /** Every write applied after it follows the new state; writes decided before but applied after too. */
    public Void apply(MetaBatch batch, Command.SetVersioning c) {
        tables.buckets().put(batch, require(c.bucket()).withVersioning(c.state()));
        return null;
    }
}
