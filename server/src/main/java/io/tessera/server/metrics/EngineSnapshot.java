package io.tessera.server.metrics;

import io.tessera.engine.BucketUsage;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineStats;
import io.tessera.engine.SegmentSpace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The engine's space and counters at one moment, totalled over buckets and segments: what the
 * metrics gauges and the admin status show. Taking one reads the metadata (disk I/O): never on an
 * event loop.
 *
 * @param stats         the engine's own counters (live, dead, reclaimable bytes, tombstones, fsyncs, GC)
 * @param usage         per bucket: objects and incomplete uploads with their exact bytes
 * @param buckets       number of buckets
 * @param objects       objects in all buckets
 * @param objectBytes   their bytes
 * @param uploads       incomplete multipart uploads in all buckets
 * @param uploadBytes   bytes their committed parts hold on disk
 * @param oldestUpload  when the oldest incomplete upload started, or null when there is none
 * @param segments      segment files
 * @param segmentBytes  their total size
 * @param taken         when the snapshot was taken (by the engine's clock)
 */
public record EngineSnapshot(EngineStats stats, List<BucketUsage> usage, long buckets, long objects, long objectBytes,
                             long uploads, long uploadBytes, Instant oldestUpload, long segments, long segmentBytes,
                             Instant taken) {

    public static EngineSnapshot take(Engine engine) {
        Instant now = engine.config().clock().instant();
        EngineStats stats = engine.stats();
        List<BucketUsage> usage = List.copyOf(engine.usage());
        long objects = 0;
        long objectBytes = 0;
        long uploads = 0;
        long uploadBytes = 0;
        Instant oldest = null;
        for (BucketUsage u : usage) {
            objects += u.objects();
            objectBytes += u.objectBytes();
            uploads += u.uploads();
            uploadBytes += u.uploadBytes();
            if (u.oldestUpload() != null && (oldest == null || u.oldestUpload().isBefore(oldest))) {
                oldest = u.oldestUpload();
            }
        }
        long segments = 0;
        long segmentBytes = 0;
        for (SegmentSpace s : engine.space().values()) {
            segments++;
            segmentBytes += s.size();
        }
        return new EngineSnapshot(stats, usage, usage.size(), objects, objectBytes, uploads, uploadBytes, oldest,
                segments, segmentBytes, now);
    }

    /** How long the oldest incomplete upload has been open, zero when there is none. */
    public Duration oldestUploadAge() {
        if (oldestUpload == null || oldestUpload.isAfter(taken)) {
            return Duration.ZERO;
        }
        return Duration.between(oldestUpload, taken);
    }
}
