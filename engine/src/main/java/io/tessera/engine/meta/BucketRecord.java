package io.tessera.engine.meta;

import io.tessera.engine.VersioningState;

/**
 * A bucket row. The id is immutable and never reused; object keys hang off the id, not the name.
 * The versioning state lives here so that every object command reads it with the bucket.
 */
public record BucketRecord(long id, String name, long createdMillis, String owner, VersioningState versioning) {
    private static final int VERSION = 1;
    private static final int WITH_VERSIONING = 2;

    public BucketRecord(long id, String name, long createdMillis, String owner) {
        this(id, name, createdMillis, owner, VersioningState.UNVERSIONED);
    }

    public BucketRecord withVersioning(VersioningState state) {
        return new BucketRecord(id, name, createdMillis, owner, state);
    }

    public byte[] encode() {
        boolean versioned = versioning != VersioningState.UNVERSIONED;
        ValueWriter w = new ValueWriter(versioned ? WITH_VERSIONING : VERSION).putLong(id).putString(name)
                .putLong(createdMillis).putString(owner);
        if (versioned) {
            w.putByte(versioning.ordinal());
        }
        return w.toByteArray();
    }

    public static BucketRecord decode(byte[] v) {
        boolean versioned = (v[0] & 0xff) == WITH_VERSIONING;
        ValueReader r = new ValueReader(v, versioned ? WITH_VERSIONING : VERSION);
        BucketRecord rec = new BucketRecord(r.getLong(), r.getString(), r.getLong(), r.getString());
        return versioned ? rec.withVersioning(VersioningState.values()[r.getByte()]) : rec;
    }
}
