package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code object_versions} rows: every version of a key except its current object, which stays in
 * {@code objects}. Keyed bucketId ‖ key ‖ 0x00 ‖ ~stamp ‖ versionId ‖ id length, so a key's versions
 * follow each other newest first and a bucket's versions are one range scan in listing order. The
 * id and its length end the key so that a key can be read back whatever bytes it holds.
 */
public final class ObjectVersionTable {
    /** The id stored for the {@code null} version. */
    private static final String NULL_ID = "null";
    private final MetaView view;

    ObjectVersionTable(MetaView view) {
        this.view = view;
    }

    /** A stored version: its key and row. */
    public record Entry(String key, ObjectRecord row) {
    }

    static byte[] versionKey(long bucketId, String key, long stamp, String versionId) {
        byte[] prefix = keyPrefix(bucketId, key);
        byte[] id = (versionId == null ? NULL_ID : versionId).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + 8 + id.length + 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        Keys.putLong(out, prefix.length, ~stamp);
        System.arraycopy(id, 0, out, prefix.length + 8, id.length);
        out[out.length - 1] = (byte) id.length;
        return out;
    }

    /** bucketId ‖ key ‖ 0x00: the start of one key's versions. */
    static byte[] keyPrefix(long bucketId, String key) {
        byte[] k = Keys.objectKey(bucketId, key);
        return java.util.Arrays.copyOf(k, k.length + 1);
    }

    /** A listed version: its key, row, and whether it is the key's current entry. */
    public record Listed(String key, ObjectRecord row, boolean latest) {
    }

    /** One page of ListObjectVersions. */
    public record Page(List<Listed> entries, List<String> prefixes, boolean truncated) {
    }

    /**
     * One page of every version under {@code prefix}, current objects (from {@code objects}) and
     * stored versions merged in key order, newest first within a key; keys roll up at the first
     * {@code delimiter} after the prefix. {@code keyMarker} alone starts after every version of that
     * key; with {@code versionIdMarker} ("null" for the null version) after that version.
     */
    public Page list(long bucketId, String prefix, String delimiter, String keyMarker, String versionIdMarker, int max) {
        String p = prefix == null ? "" : prefix;
        String delim = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        byte[] end = Keys.prefixEnd(Keys.objectKey(bucketId, p));
        byte[] objectStart = Keys.objectKey(bucketId, p);
        byte[] versionStart = objectStart;
        String continuing = null; // the key whose current entry the previous page already listed
        if (keyMarker != null && Utf8.compare(keyMarker, p) >= 0) {
            byte[] markerKey = Keys.objectKey(bucketId, keyMarker);
            objectStart = java.util.Arrays.copyOf(markerKey, markerKey.length + 1);
            versionStart = Keys.prefixEnd(keyPrefix(bucketId, keyMarker));
            if (versionIdMarker != null) {
                byte[] resume = resumeAfter(bucketId, keyMarker, versionIdMarker);
                if (resume != null) {
                    versionStart = resume;
                    continuing = keyMarker;
                }
            }
        }
        List<Listed> entries = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        boolean truncated = false;
        try (MetaCursor oc = view.scan(ColumnFamily.OBJECTS, objectStart, end);
             MetaCursor vc = view.scan(ColumnFamily.OBJECT_VERSIONS, versionStart, end)) {
            String lastKey = continuing;
            while (oc.valid() || vc.valid()) {
                String ko = oc.valid() ? objectKeyOf(oc.key()) : null;
                String kv = vc.valid() ? keyOf(vc.key()) : null;
                String k = ko == null ? kv : kv == null ? ko : Utf8.compare(ko, kv) <= 0 ? ko : kv;
                if (entries.size() + prefixes.size() >= max) {
                    truncated = true;
                    break;
                }
                int idx = delim == null ? -1 : k.indexOf(delim, p.length());
                if (idx >= 0) {
                    String common = k.substring(0, idx + delim.length());
                    if (keyMarker == null || Utf8.compare(common, keyMarker) > 0) {
                        prefixes.add(common);
                    }
                    byte[] next = Keys.prefixEnd(Keys.objectKey(bucketId, common));
                    if (next == null || (end != null && java.util.Arrays.compareUnsigned(next, end) >= 0)) {
                        break;
                    }
                    oc.seek(next);
                    vc.seek(next);
                    continue;
                }
                if (k.equals(ko)) {
                    entries.add(new Listed(k, ObjectRecord.decode(oc.value()), true));
                    lastKey = k;
                    oc.next();
                } else {
                    entries.add(new Listed(k, ObjectRecord.decode(vc.value()), !k.equals(lastKey)));
                    lastKey = k;
                    vc.next();
                }
            }
        }
        return new Page(entries, prefixes, truncated);
    }

    /** Where the stored versions after {@code (key, versionId)} start, or null when that version is gone. */
    private byte[] resumeAfter(long bucketId, String key, String versionId) {
        byte[] current = view.get(ColumnFamily.OBJECTS, Keys.objectKey(bucketId, key));
        if (current != null) {
            ObjectRecord r = ObjectRecord.decode(current);
            if (versionId.equals(r.versionId() == null ? NULL_ID : r.versionId())) {
                return keyPrefix(bucketId, key);
            }
        }
        ObjectRecord stored;
        if (NULL_ID.equals(versionId)) {
            stored = nullVersion(bucketId, key);
        } else {
            stored = get(bucketId, key, io.tessera.engine.VersionIds.stampOf(versionId), versionId);
        }
        if (stored == null) {
            return null;
        }
        byte[] k = versionKey(bucketId, key, stored.stamp(), stored.versionId());
        return java.util.Arrays.copyOf(k, k.length + 1);
    }

    private static String objectKeyOf(byte[] k) {
        return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
    }

    /** The S3 key of a stored version's row key. */
    static String keyOf(byte[] k) {
        int idLength = k[k.length - 1] & 0xff;
        int keyEnd = k.length - 1 - idLength - 8 - 1;
        return new String(k, 8, keyEnd - 8, StandardCharsets.UTF_8);
    }

    public void put(MetaBatch batch, long bucketId, String key, ObjectRecord row) {
        batch.put(ColumnFamily.OBJECT_VERSIONS, versionKey(bucketId, key, row.stamp(), row.versionId()), row.encode());
    }

    public void delete(MetaBatch batch, long bucketId, String key, ObjectRecord row) {
        batch.delete(ColumnFamily.OBJECT_VERSIONS, versionKey(bucketId, key, row.stamp(), row.versionId()));
    }

    /** The stored version with this stamp and id, or null. */
    public ObjectRecord get(long bucketId, String key, long stamp, String versionId) {
        byte[] v = view.get(ColumnFamily.OBJECT_VERSIONS, versionKey(bucketId, key, stamp, versionId));
        return v == null ? null : ObjectRecord.decode(v);
    }

    /** The stored versions of one key, newest first (at most {@code max}). */
    public List<ObjectRecord> ofKey(long bucketId, String key, int max) {
        byte[] prefix = keyPrefix(bucketId, key);
        List<ObjectRecord> out = new ArrayList<>();
        try (MetaCursor c = view.scan(ColumnFamily.OBJECT_VERSIONS, prefix, Keys.prefixEnd(prefix))) {
            for (; c.valid() && out.size() < max; c.next()) {
                if (keyOf(c.key()).equals(key)) { // a key may itself continue with 0x00
                    out.add(ObjectRecord.decode(c.value()));
                }
            }
        }
        return out;
    }

    /** The stored null version of a key, or null. */
    public ObjectRecord nullVersion(long bucketId, String key) {
        for (ObjectRecord r : ofKey(bucketId, key, Integer.MAX_VALUE)) {
            if (r.isNullVersion()) {
                return r;
            }
        }
        return null;
    }

    /** True when the bucket holds at least one stored version. */
    public boolean any(long bucketId) {
        try (MetaCursor c = view.scan(ColumnFamily.OBJECT_VERSIONS, Keys.u64(bucketId),
                Keys.prefixEnd(Keys.u64(bucketId)))) {
            return c.valid();
        }
    }

    /** A visitor of stored versions with their bucket. */
    @FunctionalInterface
    public interface RowVisitor {
        void visit(long bucketId, String key, ObjectRecord row);
    }

    /** Every stored version of the store, with its bucket id. */
    public void forEach(RowVisitor visitor) {
        try (MetaCursor c = view.scan(ColumnFamily.OBJECT_VERSIONS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                visitor.visit(Keys.getLong(c.key(), 0), keyOf(c.key()), ObjectRecord.decode(c.value()));
            }
        }
    }
}
