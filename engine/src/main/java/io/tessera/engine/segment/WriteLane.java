package io.tessera.engine.segment;

/**
 * One sequential writer's claim on an active segment. A lane is held by exactly one body writer from
 * its first byte to its trailer, so records never interleave; when the writer is done the lane goes
 * back to the pool and the next writer appends after it.
 */
public final class WriteLane {
    private ActiveSegment segment;

    ActiveSegment segment() {
        return segment;
    }

    void segment(ActiveSegment segment) {
        this.segment = segment;
    }
}
