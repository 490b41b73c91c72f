package io.tessera.engine;

import io.tessera.engine.gc.CrashPoints;
import io.tessera.engine.segment.SegmentIo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How an engine is set up. Defaults are S3's limits and production durability; tests lower the
 * minimum part size and segment size.
 *
 * @param dataDir        the data directory ({@code LOCK}, {@code meta/}, {@code segments/})
 * @param minPartSize    the minimum size of every listed part but the last (S3: 5 MiB)
 * @param maxPartSize    the maximum size of a part (S3: 5 GiB)
 * @param maxObjectSize  the maximum size of a single-shot object (S3: 5 GiB)
 * @param segmentSize    a segment is sealed once it grows past this
 * @param maxWriteLanes  the most bodies written concurrently; more writers wait (see {@code laneWait})
 * @param laneWait       how long a write may wait for a lane before it is refused with SLOW_DOWN; at
 *                       most {@code max(256, 4 × maxWriteLanes)} writes wait at once, further ones are refused at once
 * @param clock          the source of timestamps (decided before a command is applied)
 * @param gc             the background collector's schedule, threshold and rate
 * @param crashPoints    a test hook inside compaction; {@link CrashPoints#NONE} in production
 * @param segmentIo      how segment files are opened for writing; a test hook for injected faults
 */
public record EngineConfig(Path dataDir, long minPartSize, long maxPartSize, long maxObjectSize, long segmentSize,
                           int maxWriteLanes, Duration laneWait, Clock clock, GcPolicy gc, CrashPoints crashPoints,
                           SegmentIo segmentIo) {
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    public static EngineConfig defaults(Path dataDir) {
        return new EngineConfig(dataDir, 5 * MIB, 5 * GIB, 5 * GIB, 256 * MIB, 64, Duration.ofSeconds(20),
                Clock.systemUTC(), GcPolicy.DEFAULT, CrashPoints.NONE, SegmentIo.DEFAULT);
    }

    public EngineConfig withMinPartSize(long bytes) {
        return new EngineConfig(dataDir, bytes, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait, clock,
                gc, crashPoints, segmentIo);
    }

    public EngineConfig withSegmentSize(long bytes) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, bytes, maxWriteLanes, laneWait, clock,
                gc, crashPoints, segmentIo);
    }

    public EngineConfig withClock(Clock c) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                c, gc, crashPoints, segmentIo);
    }

    public EngineConfig withMaxWriteLanes(int lanes) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, lanes, laneWait, clock,
                gc, crashPoints, segmentIo);
    }

    public EngineConfig withLaneWait(Duration wait) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, wait,
                clock, gc, crashPoints, segmentIo);
    }

    public EngineConfig withGc(GcPolicy policy) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, policy, crashPoints, segmentIo);
    }

    public EngineConfig withCrashPoints(CrashPoints points) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, gc, points, segmentIo);
    }

    public EngineConfig withSegmentIo(SegmentIo io) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, gc, crashPoints, io);
    }
}
