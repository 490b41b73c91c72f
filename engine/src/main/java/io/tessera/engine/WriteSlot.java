package io.tessera.engine;

import io.tessera.engine.segment.WriteLane;
import io.tessera.engine.segment.WriteLanes;

/**
 * A write lane reserved for one body (a PutObject, an UploadPart, a copy): what an engine write
 * needs before its first byte. {@link AsyncEngine} reserves slots without holding a thread while all
 * lanes are busy; a call that starts a body with the slot takes it over, and {@link #close()} gives
 * back a slot that was never used. A small PutObject of announced length needs none: its body goes to
 * the segment small bodies share.
 *
 * <p>Not thread-safe: one request owns it.
 */
public final class WriteSlot implements AutoCloseable {
    private final WriteLanes lanes;
    private WriteLane lane;

    WriteSlot(WriteLanes lanes, WriteLane lane) {
        this.lanes = lanes;
        this.lane = lane;
    }

    /** Hands the lane over to a writer, which gives it back; the slot is spent. */
    WriteLane take() {
        if (lane == null) {
            throw new IllegalStateException("this write slot was already used");
        }
        WriteLane l = lane;
        lane = null;
        return l;
    }

    /** Gives the lane back if no writer took it. Idempotent. */
    @Override
    public void close() {
        if (lane != null) {
            lanes.release(lane);
            lane = null;
        }
    }
}
