package io.tessera.engine.lock;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed array of locks picked by hash: enough to serialise commands on one upload or one key
 * without a lock object per name. Two names may share a stripe; that only costs parallelism.
 */
public final class StripedLocks {
    private final ReentrantLock[] locks;

    public StripedLocks(int stripes) {
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public ReentrantLock forKey(byte[] key) {
        return locks[Math.floorMod(Arrays.hashCode(key), locks.length)];
    }

    public ReentrantLock forKey(long bucketId, String key) {
        return locks[Math.floorMod(Long.hashCode(bucketId) * 31 + key.hashCode(), locks.length)];
    }
}
