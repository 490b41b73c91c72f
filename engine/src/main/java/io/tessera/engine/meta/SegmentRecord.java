package io.tessera.engine.meta;

/** A segment row: ACTIVE while it takes appends, SEALED with its final size afterwards. */
public record SegmentRecord(SegmentState state, long createdMillis, long size) {
    private static final int VERSION = 1;

    /** States of a segment file. */
    public enum SegmentState {
        ACTIVE, SEALED
    }

    public byte[] encode() {
        return new ValueWriter(VERSION).putByte(state.ordinal()).putLong(createdMillis).putLong(size).toByteArray();
    }

    public static SegmentRecord decode(byte[] v) {
        ValueReader r = new ValueReader(v, VERSION);
        return new SegmentRecord(SegmentState.values()[r.getByte()], r.getLong(), r.getLong());
    }
}
