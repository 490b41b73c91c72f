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
 * @param maxWriteLanes  the most records appended concurrently (pieces of bodies, compaction copies): a lane is held
 *                       only while a record's bytes are written, so this is no cap on the bodies in progress; more
 *                       appends wait (see {@code laneWait})
 * @param laneWait       how long an append may wait for a lane before its write is refused with SLOW_DOWN; at
 *                       most {@code max(256, 4 × maxWriteLanes)} appends wait at once, further ones are refused at once
 * @param clock          the source of timestamps (decided before a command is applied)
 * @param gc             the background collector's schedule, threshold and rate
 * @param crashPoints    a test hook inside compaction; {@link CrashPoints#NONE} in production
 * @param segmentIo      how segment files are opened for writing; a test hook for injected faults
 * @param minFreeSpace   bytes of the data directory's file system that segment writes leave free, for the
 *                       metadata store (deletes must still commit on a full disk) and for compaction, which
 *                       may use half of it; a body that would take them is refused with STORAGE_FULL, and
 *                       segments are sealed at half of it if {@code segmentSize} is more. Negative
 *                       ({@link #AUTO_MIN_FREE_SPACE}, the default): a tenth of the file system, at least
 *                       8 MiB and at most twice {@code segmentSize}
 * @param smallBodyLimit a PutObject whose length is announced and at most this many bytes needs no write lane: its
 *                       body is collected in memory and its whole record appended to a segment that small bodies
 *                       share, where one fdatasync covers every record appended before it (group commit). 0: every
 *                       body is written in pieces
 * @param pieceSize      any other body is buffered in memory up to this many bytes and then appended as one record
 *                       (a piece of its blob) through a write lane held only for that append; a body of at most this
 *                       length is one record. Each such body holds one buffer of this size while it is written
 * @param pendingBlobRetention how long a group member keeps a blob it holds durably for a command (received from
 *                       the node that took the request, or written here) that no command has adopted: past it (and
 *                       at least this long after the engine opened, so that a restarted member can replay its log
 *                       first) the background cycle drops it as garbage
 */
public record EngineConfig(Path dataDir, long minPartSize, long maxPartSize, long maxObjectSize, long segmentSize,
                           int maxWriteLanes, Duration laneWait, Clock clock, GcPolicy gc, CrashPoints crashPoints,
                           SegmentIo segmentIo, long minFreeSpace, long smallBodyLimit, long pieceSize,
                           Duration pendingBlobRetention) {
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;
    /** {@link #minFreeSpace()}: a tenth of the file system, at least 8 MiB and at most twice the segment size. */
    public static final long AUTO_MIN_FREE_SPACE = -1;
    /** {@link #smallBodyLimit()} by default (bench/README.md, "Small bodies", says why this size). */
    public static final long DEFAULT_SMALL_BODY_LIMIT = 64L << 10;
    /** Small bodies are held in memory whole: no more than this each. */
    public static final long MAX_SMALL_BODY_LIMIT = 16 * MIB;
    /** {@link #pieceSize()} by default: an 8 MiB SDK part is two records. */
    public static final long DEFAULT_PIECE_SIZE = 4 * MIB;
    public static final long MIN_PIECE_SIZE = 4L << 10;
    /** A piece is buffered in memory whole (direct memory, one buffer per body being written). */
    public static final long MAX_PIECE_SIZE = 64 * MIB;
    /** {@link #pendingBlobRetention()} by default: far longer than a command takes to get into the log. */
    public static final Duration DEFAULT_PENDING_BLOB_RETENTION = Duration.ofHours(1);

    public EngineConfig {
        if (smallBodyLimit < 0 || smallBodyLimit > MAX_SMALL_BODY_LIMIT) {
            throw new IllegalArgumentException("smallBodyLimit must be between 0 and " + MAX_SMALL_BODY_LIMIT
                    + ", not " + smallBodyLimit);
        }
        if (pieceSize < MIN_PIECE_SIZE || pieceSize > MAX_PIECE_SIZE) {
            throw new IllegalArgumentException("pieceSize must be between " + MIN_PIECE_SIZE + " and " + MAX_PIECE_SIZE
                    + ", not " + pieceSize);
        }
        if (pendingBlobRetention.isNegative()) {
            throw new IllegalArgumentException("pendingBlobRetention must not be negative");
        }
    }

    public static EngineConfig defaults(Path dataDir) {
        return new EngineConfig(dataDir, 5 * MIB, 5 * GIB, 5 * GIB, 256 * MIB, 64, Duration.ofSeconds(20),
                Clock.systemUTC(), GcPolicy.DEFAULT, CrashPoints.NONE, SegmentIo.DEFAULT, AUTO_MIN_FREE_SPACE,
                DEFAULT_SMALL_BODY_LIMIT, DEFAULT_PIECE_SIZE, DEFAULT_PENDING_BLOB_RETENTION);
    }

    public EngineConfig withMinPartSize(long bytes) {
        return new EngineConfig(dataDir, bytes, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait, clock,
                gc, crashPoints, segmentIo, minFreeSpace, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withSegmentSize(long bytes) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, bytes, maxWriteLanes, laneWait, clock,
                gc, crashPoints, segmentIo, minFreeSpace, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withClock(Clock c) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                c, gc, crashPoints, segmentIo, minFreeSpace, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withMaxWriteLanes(int lanes) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, lanes, laneWait, clock,
                gc, crashPoints, segmentIo, minFreeSpace, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withLaneWait(Duration wait) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, wait,
                clock, gc, crashPoints, segmentIo, minFreeSpace, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withGc(GcPolicy policy) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, policy, crashPoints, segmentIo, minFreeSpace, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withCrashPoints(CrashPoints points) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, gc, points, segmentIo, minFreeSpace, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withSegmentIo(SegmentIo io) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, gc, crashPoints, io, minFreeSpace, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withMinFreeSpace(long bytes) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, gc, crashPoints, segmentIo, bytes, smallBodyLimit, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withSmallBodyLimit(long bytes) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, gc, crashPoints, segmentIo, minFreeSpace, bytes, pieceSize, pendingBlobRetention);
    }

    public EngineConfig withPieceSize(long bytes) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, gc, crashPoints, segmentIo, minFreeSpace, smallBodyLimit, bytes, pendingBlobRetention);
    }

    public EngineConfig withPendingBlobRetention(Duration retention) {
        return new EngineConfig(dataDir, minPartSize, maxPartSize, maxObjectSize, segmentSize, maxWriteLanes, laneWait,
                clock, gc, crashPoints, segmentIo, minFreeSpace, smallBodyLimit, pieceSize, retention);
    }

    /**
     * At most the memory the engine holds for a body of {@code announcedLength} bytes (-1: unknown) while it is
     * written: a small body whole; any other one piece buffer, or a buffer of its own length when announced
     * shorter than half a piece. A front end counts it among the memory each body it admits may hold.
     */
    public long bodyMemory(long announcedLength) {
        if (isSmallBody(announcedLength) || (announcedLength >= 0 && announcedLength < pieceSize / 2)) {
            return announcedLength;
        }
        return pieceSize;
    }

    /** Whether a body of {@code announcedLength} bytes (-1: unknown) goes to the shared small-bodies segment. */
    public boolean isSmallBody(long announcedLength) {
        return announcedLength >= 0 && announcedLength <= smallBodyLimit && smallBodyLimit > 0;
    }
}
