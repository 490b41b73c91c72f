package io.tessera.engine.meta;

/** A bucket row. The id is immutable and never reused; object keys hang off the id, not the name. */
public record BucketRecord(long id, String name, long createdMillis, String owner) {
    private static final int VERSION = 1;

    public byte[] encode() {
        return new ValueWriter(VERSION).putLong(id).putString(name).putLong(createdMillis).putString(owner)
                .toByteArray();
    }

    public static BucketRecord decode(byte[] v) {
        ValueReader r = new ValueReader(v, VERSION);
        return new BucketRecord(r.getLong(), r.getString(), r.getLong(), r.getString());
    }
}
