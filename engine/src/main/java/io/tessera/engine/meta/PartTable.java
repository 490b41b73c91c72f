package io.tessera.engine.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** The {@code parts} rows: uploadId ‖ part number (big-endian) → {@link PartRecord}. */
public final class PartTable {
    /** S3's largest part number; part rows of an upload lie in [1, MAX_PART_NUMBER]. */
    public static final int MAX_PART_NUMBER = 10_000;

    private final MetaView view;

    PartTable(MetaView view) {
        this.view = view;
    }

    public PartRecord get(byte[] uploadId, int partNumber) {
        byte[] v = view.get(ColumnFamily.PARTS, Keys.partKey(uploadId, partNumber));
        return v == null ? null : PartRecord.decode(v);
    }

    public void put(MetaBatch batch, byte[] uploadId, int partNumber, PartRecord part) {
        batch.put(ColumnFamily.PARTS, Keys.partKey(uploadId, partNumber), part.encode());
    }

    /** Every part of an upload, by part number. */
    public TreeMap<Integer, PartRecord> all(byte[] uploadId) {
        TreeMap<Integer, PartRecord> parts = new TreeMap<>();
        try (MetaCursor c = view.scan(ColumnFamily.PARTS, Keys.partKey(uploadId, 0), Keys.prefixEnd(uploadId))) {
            for (; c.valid(); c.next()) {
                parts.put(Keys.getInt(c.key(), uploadId.length), PartRecord.decode(c.value()));
            }
        }
        return parts;
    }

    /** Up to {@code max} parts numbered from {@code first} on, in order. */
    public List<Map.Entry<Integer, PartRecord>> page(byte[] uploadId, int first, int max) {
        List<Map.Entry<Integer, PartRecord>> out = new ArrayList<>();
        if (first > MAX_PART_NUMBER) {
            return out;
        }
        try (MetaCursor c = view.scan(ColumnFamily.PARTS, Keys.partKey(uploadId, first), Keys.prefixEnd(uploadId))) {
            for (; c.valid() && out.size() < max; c.next()) {
                out.add(Map.entry(Keys.getInt(c.key(), uploadId.length), PartRecord.decode(c.value())));
            }
        }
        return out;
    }

    /** Deletes every part row of an upload: one range delete whatever their number. */
    public void deleteAll(MetaBatch batch, byte[] uploadId) {
        batch.deleteRange(ColumnFamily.PARTS, Keys.partKey(uploadId, 0), Keys.partKey(uploadId, MAX_PART_NUMBER + 1));
    }

    /** Every part row of the store: (upload id, part). */
    public void forEach(BiConsumer<byte[], PartRecord> action) {
        try (MetaCursor c = view.scan(ColumnFamily.PARTS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                byte[] k = c.key();
                action.accept(java.util.Arrays.copyOf(k, k.length - 4), PartRecord.decode(c.value()));
            }
        }
    }
}
