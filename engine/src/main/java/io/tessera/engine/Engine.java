package io.tessera.engine;

import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.gc.GcReport;
import io.tessera.engine.gc.GcStats;
import io.tessera.engine.gc.SegmentGc;
import io.tessera.engine.recovery.Fsck;
import io.tessera.engine.recovery.FsckReport;
import io.tessera.engine.recovery.SegmentRecovery;
import io.tessera.engine.blob.SegmentSpace;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.internal.StripedLocks;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.object.ObjectRows;
import io.tessera.engine.object.ObjectService;
import io.tessera.engine.upload.UploadCompleter;
import io.tessera.engine.upload.UploadLimits;
import io.tessera.engine.upload.UploadService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage engine of one Tessera node: buckets, objects and multipart uploads, with metadata in
 * RocksDB and bytes in append-only segment files. This is the whole API the front end sees.
 *
 * <p>Thread-safe. Calls block on disk I/O; callers on an event loop use {@link AsyncEngine}.
 * Failures are {@link EngineException}s.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final int COPY_BUFFER = 1 << 20;
    /**
     * How long a completed or aborted upload stays a tombstone: far longer than any request can be in
     * flight (a 5 GiB part at 1 MB/s takes under 90 minutes), and long enough for clients that retry
     * a Complete to get the same answer.
     */
    public static final Duration TOMBSTONE_RETENTION = Duration.ofDays(7);

    private final EngineConfig config;
    private final DataDirLock lock;
    private final MetaStore meta;
    private final BlobStore blobs;
    private final Buckets buckets;
    private final ObjectService objects;
    private final UploadService uploads;
    private final UploadCompleter completer;
    private final SegmentGc gc;
    private final ScheduledExecutorService gcScheduler;

    private Engine(EngineConfig config, DataDirLock lock, MetaStore meta) {
        this.config = config;
        this.lock = lock;
        this.meta = meta;
        LongSupplier clock = () -> config.clock().millis();
        this.blobs = new BlobStore(meta, config.dataDir().resolve("segments"), config.segmentIo(),
                config.segmentSize(), config.maxWriteLanes(), clock);
        this.buckets = new Buckets(meta);
        StripedLocks keyLocks = new StripedLocks(1024);
        ObjectRows rows = new ObjectRows(meta, blobs);
        this.objects = new ObjectService(meta, blobs, buckets, rows, keyLocks, clock, config.maxObjectSize());
        this.uploads = new UploadService(meta, blobs, buckets, new StripedLocks(1024), clock,
                new UploadLimits(config.minPartSize(), config.maxPartSize()));
        this.completer = new UploadCompleter(uploads, buckets, rows, keyLocks);
        this.gc = new SegmentGc(blobs, config.gc(), config.crashPoints());
        this.gcScheduler = config.gc().interval().isZero() ? null : startGc(config.gc().interval());
    }

    private ScheduledExecutorService startGc(Duration interval) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tessera-gc");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        s.scheduleWithFixedDelay(() -> {
            try {
                gc.collect(false);
                purgeTombstones();
            } catch (RuntimeException e) {
                LOG.error("background collection failed; will retry", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return s;
    }

    /** Opens the engine on {@code config.dataDir()}, creating it if needed. */
    public static Engine open(EngineConfig config) {
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        MetaStore meta = null;
        try {
            meta = MetaStore.open(config.dataDir().resolve("meta"), true);
            return new Engine(config, lock, meta);
        } catch (RuntimeException e) {
            if (meta != null) {
                meta.close();
            }
            lock.close();
            throw e;
        }
    }

    public EngineConfig config() {
        return config;
    }

    // ---- buckets ----

    public BucketInfo createBucket(String name, String owner) {
        return toInfo(buckets.create(name, owner, config.clock().millis()));
    }

    public BucketInfo headBucket(String name) {
        return toInfo(buckets.require(name));
    }

    public List<BucketInfo> listBuckets() {
        List<BucketInfo> out = new ArrayList<>();
        for (BucketRecord r : buckets.list()) {
            out.add(toInfo(r));
        }
        return out;
    }

    /** Deletes an empty bucket; BUCKET_NOT_EMPTY while it holds objects or uploads in progress. */
    public void deleteBucket(String name) {
        buckets.delete(name);
    }

    private static BucketInfo toInfo(BucketRecord r) {
        return new BucketInfo(r.name(), r.id(), Instant.ofEpochMilli(r.createdMillis()), r.owner());
    }

    // ---- objects ----

    /** Starts a single-shot object write (PutObject). */
    public BodyWriter<ObjectInfo> beginPutObject(String bucket, String key, PutOptions options) {
        return objects.beginPut(bucket, key, options);
    }

    /** PutObject from a stream, for callers that have one. */
    public ObjectInfo putObject(String bucket, String key, PutOptions options, InputStream body,
                                BodyExpectations expectations) {
        try (BodyWriter<ObjectInfo> w = beginPutObject(bucket, key, options)) {
            pump(body, w);
            return w.commit(expectations);
        }
    }

    public ObjectInfo headObject(String bucket, String key) {
        return objects.head(bucket, key);
    }

    public ObjectContent getObject(String bucket, String key, ReadRange range) {
        return objects.get(bucket, key, range);
    }

    public void deleteObject(String bucket, String key) {
        objects.delete(bucket, key);
    }

    /** CopyObject: the bytes of the source (or a range of it) become a new single-shot object. */
    public ObjectInfo copyObject(String srcBucket, String srcKey, String dstBucket, String dstKey,
                                 PutOptions options) {
        try (ObjectContent src = getObject(srcBucket, srcKey, ReadRange.ALL)) {
            return putObject(dstBucket, dstKey, options.withExpectedLength(src.length()), src.stream(),
                    BodyExpectations.NONE);
        }
    }

    public ObjectListing listObjects(String bucket, ListObjectsQuery query) {
        return objects.list(bucket, query);
    }

    // ---- multipart ----

    public UploadInfo createUpload(String bucket, String key, UploadOptions options) {
        return uploads.create(bucket, key, options);
    }

    /** Starts writing one part (UploadPart); a later part with the same number replaces it. */
    public BodyWriter<PartInfo> beginUploadPart(String bucket, String key, String uploadId, int partNumber,
                                                PartOptions options) {
        return uploads.beginPart(bucket, key, uploadId, partNumber, options);
    }

    public PartInfo uploadPart(String bucket, String key, String uploadId, int partNumber, PartOptions options,
                               InputStream body, BodyExpectations expectations) {
        try (BodyWriter<PartInfo> w = beginUploadPart(bucket, key, uploadId, partNumber, options)) {
            pump(body, w);
            return w.commit(expectations);
        }
    }

    /** UploadPartCopy: a range (or all) of an existing object becomes a part. */
    public PartInfo uploadPartCopy(String srcBucket, String srcKey, ReadRange range, String bucket, String key,
                                   String uploadId, int partNumber) {
        try (ObjectContent src = getObject(srcBucket, srcKey, range)) {
            return uploadPart(bucket, key, uploadId, partNumber, new PartOptions(null, src.length()), src.stream(),
                    BodyExpectations.NONE);
        }
    }

    public PartListing listParts(String bucket, String key, String uploadId, int maxParts, int partNumberMarker) {
        return uploads.listParts(bucket, key, uploadId, maxParts, partNumberMarker);
    }

    public UploadListing listUploads(String bucket, ListUploadsQuery query) {
        return uploads.listUploads(bucket, query);
    }

    public ObjectInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                                     CompleteOptions options) {
        return completer.complete(bucket, key, uploadId, parts, options);
    }

    /** Aborts an upload: final in one call, parts still in flight are refused when they land. */
    public void abortUpload(String bucket, String key, String uploadId) {
        uploads.abort(bucket, key, uploadId);
    }

    // ---- space and verification ----

    /** Per-segment size, live and dead bytes. */
    public Map<Long, SegmentSpace> space() {
        return blobs.space();
    }

    /**
     * Runs a full collection cycle now: seals idle active segments, deletes dead ones and compacts
     * every segment holding garbage. Afterwards the only dead bytes left are in segments still
     * being written.
     */
    public GcReport collectGarbage() {
        return gc.collect(true);
    }

    /**
     * Removes upload tombstones older than {@link #TOMBSTONE_RETENTION}; the background collector
     * calls this every cycle.
     */
    public int purgeTombstones() {
        return uploads.purgeTombstones(config.clock().millis() - TOMBSTONE_RETENTION.toMillis());
    }

    public GcStats gcStats() {
        return gc.stats();
    }

    /** Verifies references, record CRCs (bodies too when asked) and live-byte counts; safe while serving. */
    public FsckReport fsck(boolean verifyBodies) {
        return gc.excluding(() -> Fsck.run(blobs, verifyBodies));
    }

    /** What the segment recovery did when this engine opened. */
    public SegmentRecovery.Report recoveryReport() {
        return blobs.recoveryReport();
    }

    private static void pump(InputStream in, BodyWriter<?> w) {
        byte[] buf = new byte[COPY_BUFFER];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                w.write(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (IOException e) {
            throw EngineException.io("reading the request body", e);
        }
    }

    @Override
    public void close() {
        if (gcScheduler != null) {
            gcScheduler.shutdownNow();
            try {
                gcScheduler.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        blobs.close();
        meta.close();
        lock.close();
    }
}
