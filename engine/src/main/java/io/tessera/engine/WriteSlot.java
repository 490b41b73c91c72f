package io.tessera.engine;

import io.tessera.engine.segment.WriteLane;
import io.tessera.engine.segment.WriteLanes;

/**
 * A write lane reserved for one body (a PutObject, an UploadPart, a copy): what an engine write
 * needs before its first byte. {@link AsyncEngine} reserves slots without holding a thread while all
 * lanes are busy; a call that starts a body with the slot takes it over, and {@link #close()} gives
 * back a slot that was never used. A small PutObject of announced length gets a slot without a lane
 * ({@link AsyncEngine#callWithPutSlot}): its body goes to the segment small bodies share.
 *
 * <p>Not thread-safe: one request owns it.
 */
public final class WriteSlot implements AutoCloseable {
    private final WriteLanes lanes;
    private WriteLane lane;
    private final boolean laneless;

    WriteSlot(WriteLanes lanes, WriteLane lane) {
        this.lanes = lanes;
        this.lane = lane;
        this.laneless = lane == null;
    }

    /** A slot for a small body of announced length, which needs no lane. */
    static WriteSlot withoutLane() {
        return new WriteSlot(null, null);
    }

    /** Hands the lane over to a writer, which gives it back; the slot is spent. */
    WriteLane take() {
        if (laneless) {
            throw new IllegalStateException("this write slot holds no lane: it serves a small body of announced"
                    + " length only");
        }
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
