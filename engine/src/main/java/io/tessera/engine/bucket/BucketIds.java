package io.tessera.engine.bucket;

import java.security.SecureRandom;

/**
 * Bucket ids, decided before a CreateBucket is logged by whichever node takes the request: random in
 * [2^32, 2^32 + 2^61), so that nodes need no coordination to pick one, and above the small sequential
 * ids that data directories made before replication hold. A repeat is as likely as guessing 61 random
 * bits.
 *
 * <p>Thread-safe.
 */
public final class BucketIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private BucketIds() {
    }

    public static long next() {
        return (1L << 32) + RANDOM.nextLong(1L << 61);
    }
}
