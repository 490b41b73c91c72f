package io.tessera.engine.upload;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.lock.StripedLocks;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.UploadState;
import io.tessera.engine.meta.UploadTable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An upload's lock, held, with its row as read under it. Every command that changes an upload or
 * must see it whole (a part commit, ListParts, abort, complete, reclaim) starts here, so they are
 * linearizable: whatever one of them decides from the row stays true until it lets go.
 *
 * <p>Not thread-safe: the thread that locked closes it.
 */
final class LockedUpload implements AutoCloseable {
    private final ReentrantLock lock;
    private final byte[] id;
    private final UploadRecord row;

    private LockedUpload(ReentrantLock lock, byte[] id, UploadRecord row) {
        this.lock = lock;
        this.id = id;
        this.row = row;
    }

    static LockedUpload lock(StripedLocks locks, UploadTable uploads, byte[] id) {
        ReentrantLock lock = locks.forKey(id);
        lock.lock();
        try {
            return new LockedUpload(lock, id, uploads.get(id));
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    byte[] id() {
        return id;
    }

    /** The row under the lock, or null when there is none (never existed, or its tombstone was purged). */
    UploadRecord row() {
        return row;
    }

    /** The row, if the upload is ACTIVE in {@code bucketId} under {@code key}; NO_SUCH_UPLOAD otherwise. */
    UploadRecord requireActive(long bucketId, String key, String uploadId) {
        if (!isActive(bucketId, key)) {
            throw noSuchUpload(uploadId);
        }
        return row;
    }

    /** Whether the upload is ACTIVE in {@code bucketId} under {@code key}. */
    boolean isActive(long bucketId, String key) {
        return row != null && row.state() == UploadState.ACTIVE && row.bucketId() == bucketId && row.key().equals(key);
    }

    static EngineException noSuchUpload(String uploadId) {
        return new EngineException(ErrorCode.NO_SUCH_UPLOAD, "upload " + uploadId + " does not exist");
    }

    @Override
    public void close() {
        lock.unlock();
    }
}
