package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bucket sub-resources ({@code bucket_config}): one opaque document per bucket and name (lifecycle
 * rules, CORS rules, tags, ...). The engine stores them; the front end owns their format.
 */
public final class BucketConfigTable {
    private final MetaView view;

    BucketConfigTable(MetaView view) {
        this.view = view;
    }

    private static byte[] key(long bucketId, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] k = Arrays.copyOf(Keys.u64(bucketId), 8 + n.length);
        System.arraycopy(n, 0, k, 8, n.length);
        return k;
    }

    /** The document, or null when the bucket has none of that name. */
    public byte[] get(long bucketId, String name) {
        return view.get(ColumnFamily.BUCKET_CONFIG, key(bucketId, name));
    }

    public void put(MetaBatch batch, long bucketId, String name, byte[] document) {
        batch.put(ColumnFamily.BUCKET_CONFIG, key(bucketId, name), document);
    }

    public void delete(MetaBatch batch, long bucketId, String name) {
        batch.delete(ColumnFamily.BUCKET_CONFIG, key(bucketId, name));
    }

    /** Removes every document of a deleted bucket. */
    public void forget(MetaBatch batch, long bucketId) {
        batch.deleteRange(ColumnFamily.BUCKET_CONFIG, Keys.u64(bucketId), Keys.u64(bucketId + 1));
    }
}
