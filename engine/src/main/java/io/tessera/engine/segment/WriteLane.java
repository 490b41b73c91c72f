package io.tessera.engine.segment;

/**
 * One sequential writer's claim on an active segment. A lane is held by exactly one writer while it
 * appends one record (a piece of a body, a compaction copy), from its first byte to its header, so
 * records never interleave; then the lane goes back to the pool and the next writer appends after it.
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
