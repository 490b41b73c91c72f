package io.tessera.engine.object;

import io.tessera.engine.lock.StripedLocks;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one place where the order of a key's writes is decided. Every command that changes a key's rows
 * (put, small put, copy, complete, delete marker, lifecycle expiry, removal of a version, metadata
 * update) commits inside a {@link Turn} of the key, and a version stamp can only be had from the turn:
 * stamps are minted after the key's lock is taken, so a key's stamps, the order its versions are listed
 * in and which version is current all follow the order in which its writes committed. A stamp minted
 * before the lock could belong to a write that waits while a later one commits, and the older stamp
 * would then rank the newer write below the one it replaced.
 *
 * <p>With replication the stamp is decided here too, from the position of the command in the log.
 *
 * <p>Thread-safe; a turn belongs to the thread that took it.
 */
public final class KeyWriteOrder {
    private final StripedLocks locks;
    private final VersionStamps stamps;

    public KeyWriteOrder(StripedLocks locks, VersionStamps stamps) {
        this.locks = locks;
        this.stamps = stamps;
    }

    /** Waits for the key's turn: no other write of the key commits until the turn is closed. */
    public Turn take(long bucketId, String key) {
        ReentrantLock lock = locks.forKey(bucketId, key);
        lock.lock();
        return new Turn(lock);
    }

    /**
     * A key's turn, held: the write that commits in it is ordered after every write of the key that
     * committed before, and before every write that commits after.
     *
     * <p>Not thread-safe: used and closed by the thread that took it.
     */
    public final class Turn implements AutoCloseable {
        private final ReentrantLock lock;
        private VersionStamps.Minted stamp;

        private Turn(ReentrantLock lock) {
            this.lock = lock;
        }

        /**
         * The stamp and version id of the version (or delete marker) this turn commits: newer than every
         * stamp of the key committed before. Minted on first use, so writes that need none (in a bucket that
         * never had versioning) do not pay for one.
         */
        public VersionStamps.Minted stamp() {
            if (!lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("a version stamp is taken only while the key's turn is held");
            }
            if (stamp == null) {
                stamp = stamps.next();
            }
            return stamp;
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }
}
