package io.tessera.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.engine.Engine;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The engine's gauges and counters, read from one {@link EngineSnapshot} per scrape: {@link #refresh()}
 * takes it (disk I/O, off the event loops), then every meter reads the same moment.
 *
 * <p>Thread-safe.
 */
final class EngineGauges {
    private final Engine engine;
    private volatile EngineSnapshot snapshot;

    EngineGauges(Engine engine) {
        this.engine = engine;
        this.snapshot = EngineSnapshot.take(engine);
    }

    void refresh() {
        snapshot = EngineSnapshot.take(engine);
    }

    EngineSnapshot snapshot() {
        return snapshot;
    }

    void register(MeterRegistry r) {
        gauge(r, "tessera.engine.live", "bytes", "Bytes of live records in segment files", s -> s.stats().liveBytes());
        gauge(r, "tessera.engine.dead", "bytes", "Bytes of dead records (garbage) in segment files",
                s -> s.stats().deadBytes());
        gauge(r, "tessera.engine.reclaimable", "bytes", "Dead bytes a full GC cycle can give back now",
                s -> s.stats().reclaimableBytes());
        gauge(r, "tessera.engine.segments", null, "Segment files", EngineSnapshot::segments);
        gauge(r, "tessera.engine.segment.files", "bytes", "Total size of the segment files",
                EngineSnapshot::segmentBytes);
        gauge(r, "tessera.engine.buckets", null, "Buckets", EngineSnapshot::buckets);
        gauge(r, "tessera.engine.objects", null, "Objects in all buckets", EngineSnapshot::objects);
        gauge(r, "tessera.engine.object", "bytes", "Bytes of all objects", EngineSnapshot::objectBytes);
        gauge(r, "tessera.engine.incomplete.uploads", null, "Multipart uploads started and neither completed nor"
                + " aborted", EngineSnapshot::uploads);
        gauge(r, "tessera.engine.incomplete.upload", "bytes", "Bytes held on disk by the parts of incomplete"
                + " multipart uploads", EngineSnapshot::uploadBytes);
        gauge(r, "tessera.engine.oldest.upload.age", "seconds", "Age of the oldest incomplete multipart upload"
                + " (0 when there is none)", s -> s.oldestUploadAge().toMillis() / 1000.0);
        gauge(r, "tessera.engine.tombstones", null, "Tombstones of completed and aborted uploads",
                s -> s.stats().tombstones());
        gauge(r, "tessera.engine.write.lanes.busy", null, "Write lanes held right now: records being appended (pieces of bodies, compaction copies)",
                s -> s.stats().busyWriteLanes());
        Gauge.builder("tessera.engine.write.lanes", engine, e -> e.config().maxWriteLanes())
                .description("Write lanes in all").strongReference(true).register(r);
        FunctionTimer.builder("tessera.engine.fsync", this, g -> g.snapshot.stats().fsyncs(),
                        g -> g.snapshot.stats().fsyncNanos(), TimeUnit.NANOSECONDS)
                .description("fsync calls on segment files and the time they took").register(r);
        counter(r, "tessera.engine.metadata.syncs", null, "WAL fsyncs of the metadata store (concurrent commits"
                + " share one)", s -> s.stats().metadataSyncs());
        counter(r, "tessera.engine.gc.cycles", null, "Garbage collection cycles run", s -> s.stats().gc().cycles());
        counter(r, "tessera.engine.gc.reclaimed", "bytes", "Bytes given back to the file system by GC",
                s -> s.stats().gc().bytesReclaimed());
        counter(r, "tessera.engine.gc.copied", "bytes", "Live bytes GC copied while compacting",
                s -> s.stats().gc().bytesCopied());
        counter(r, "tessera.engine.gc.segments.deleted", null, "Dead segments GC deleted",
                s -> s.stats().gc().segmentsDeleted());
        counter(r, "tessera.engine.gc.segments.compacted", null, "Segments GC compacted",
                s -> s.stats().gc().segmentsCompacted());
    }

    private void gauge(MeterRegistry r, String name, String unit, String help, ToDoubleFunction<EngineSnapshot> f) {
        Gauge.builder(name, this, g -> f.applyAsDouble(g.snapshot)).baseUnit(unit).description(help)
                .strongReference(true).register(r);
    }

    private void counter(MeterRegistry r, String name, String unit, String help, ToDoubleFunction<EngineSnapshot> f) {
        FunctionCounter.builder(name, this, g -> f.applyAsDouble(g.snapshot)).baseUnit(unit).description(help)
                .register(r);
    }
}
