package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Access keys and their grants: {@code access_keys} (accessKeyId → the key's document, whose format is
 * the front end's) and {@code access_grants} (bucket name ‖ 0x00 ‖ accessKeyId → permission bits). Grants
 * are keyed by bucket first, so that creating or deleting a bucket drops every grant on it in one range
 * delete. The engine stores the bits as given; only 0 means "no grant" (such a row is never written).
 */
public final class AccessKeyTable {
    private final MetaView view;

    AccessKeyTable(MetaView view) {
        this.view = view;
    }

    /** One stored key: its id, document and grants by bucket name. */
    public record Row(String accessKeyId, byte[] document, SortedMap<String, Integer> grants) {
    }

    private static byte[] keyKey(String accessKeyId) {
        return accessKeyId.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bucketPrefix(String bucket) {
        byte[] b = bucket.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1); // ‖ 0x00
    }

    private static byte[] grantKey(String bucket, String accessKeyId) {
        byte[] prefix = bucketPrefix(bucket);
        byte[] id = keyKey(accessKeyId);
        byte[] k = Arrays.copyOf(prefix, prefix.length + id.length);
        System.arraycopy(id, 0, k, prefix.length, id.length);
        return k;
    }

    /** The key's document, or null when there is no such key. */
    public byte[] get(String accessKeyId) {
        return view.get(ColumnFamily.ACCESS_KEYS, keyKey(accessKeyId));
    }

    public void put(MetaBatch batch, String accessKeyId, byte[] document) {
        batch.put(ColumnFamily.ACCESS_KEYS, keyKey(accessKeyId), document);
    }

    public void delete(MetaBatch batch, String accessKeyId) {
        batch.delete(ColumnFamily.ACCESS_KEYS, keyKey(accessKeyId));
    }

    /** The bits {@code accessKeyId} holds on {@code bucket}; 0 for none. */
    public int grant(String bucket, String accessKeyId) {
        byte[] v = view.get(ColumnFamily.ACCESS_GRANTS, grantKey(bucket, accessKeyId));
        return v == null ? 0 : v[0] & 0xFF;
    }

    /** Sets the bits {@code accessKeyId} holds on {@code bucket}; 0 removes the grant. */
    public void putGrant(MetaBatch batch, String bucket, String accessKeyId, int bits) {
        if (bits == 0) {
            batch.delete(ColumnFamily.ACCESS_GRANTS, grantKey(bucket, accessKeyId));
        } else {
            batch.put(ColumnFamily.ACCESS_GRANTS, grantKey(bucket, accessKeyId), new byte[] {(byte) bits});
        }
    }

    /** Drops every grant on {@code bucket}. */
    public void dropGrantsOn(MetaBatch batch, String bucket) {
        byte[] from = bucketPrefix(bucket);
        byte[] to = from.clone();
        to[to.length - 1] = 1;
        batch.deleteRange(ColumnFamily.ACCESS_GRANTS, from, to);
    }

    /** Drops every grant of {@code accessKeyId} (a scan of all grants: there are few). */
    public void dropGrantsOf(MetaBatch batch, String accessKeyId) {
        try (MetaCursor c = view.scan(ColumnFamily.ACCESS_GRANTS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                byte[] k = c.key();
                int sep = separator(k);
                if (new String(k, sep + 1, k.length - sep - 1, StandardCharsets.UTF_8).equals(accessKeyId)) {
                    batch.delete(ColumnFamily.ACCESS_GRANTS, k);
                }
            }
        }
    }

    private static int separator(byte[] grantKey) {
        for (int i = 0; i < grantKey.length; i++) {
            if (grantKey[i] == 0) {
                return i;
            }
        }
        throw new IllegalStateException("access_grants key without its 0x00 separator");
    }

    /** Every key with its grants, by id. */
    public List<Row> list() {
        Map<String, SortedMap<String, Integer>> grants = new LinkedHashMap<>();
        try (MetaCursor c = view.scan(ColumnFamily.ACCESS_GRANTS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                byte[] k = c.key();
                int sep = separator(k);
                String bucket = new String(k, 0, sep, StandardCharsets.UTF_8);
                String id = new String(k, sep + 1, k.length - sep - 1, StandardCharsets.UTF_8);
                grants.computeIfAbsent(id, x -> new TreeMap<>()).put(bucket, c.value()[0] & 0xFF);
            }
        }
        List<Row> out = new ArrayList<>();
        try (MetaCursor c = view.scan(ColumnFamily.ACCESS_KEYS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                String id = new String(c.key(), StandardCharsets.UTF_8);
                out.add(new Row(id, c.value(), grants.getOrDefault(id, new TreeMap<>())));
            }
        }
        return out;
    }
}
