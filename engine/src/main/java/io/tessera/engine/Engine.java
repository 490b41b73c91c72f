package io.tessera.engine;

import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.command.CommandCodec;
import io.tessera.engine.command.CommandLog;
import io.tessera.engine.command.GroupLog;
import io.tessera.engine.gc.SegmentGc;
import io.tessera.engine.recovery.Fsck;
import io.tessera.engine.recovery.SegmentRecovery;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.bucket.BucketIds;
import io.tessera.engine.command.Apply;
import io.tessera.engine.command.Command;
import io.tessera.engine.command.LocalLog;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.meta.IdSequence;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.MetaTables;
import io.tessera.engine.meta.UsageTable;
import io.tessera.engine.object.ObjectCommands;
import io.tessera.engine.object.ObjectRows;
import io.tessera.engine.object.ObjectService;
import io.tessera.engine.object.VersionStamps;
import io.tessera.engine.upload.UploadCommands;
import io.tessera.engine.upload.UploadCompleter;
import io.tessera.engine.upload.UploadLimits;
import io.tessera.engine.upload.UploadService;
import io.tessera.engine.segment.ActiveSegment;
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
    /**
     * How long a completed or aborted upload stays a tombstone: far longer than any request can be in
     * flight (a 5 GiB part at 1 MB/s takes under 90 minutes), and long enough for clients that retry
     * a Complete to get the same answer.
     */
    public static final Duration TOMBSTONE_RETENTION = Duration.ofDays(7);
    /**
     * How long a request waits for its command to be applied: far above what one group commit takes, so
     * reached only when the disk hangs; then SLOW_DOWN.
     */
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(60);

    private final EngineConfig config;
    private final DataDirLock lock;
    private final MetaStore meta;
    private final BlobStore blobs;
    private final Buckets buckets;
    private final ObjectService objects;
    private final UploadService uploads;
    private final CommandLog log;
    /** The log of an engine on its own; null for a group member. */
    private final LocalLog localLog;
    /** This engine's side of its group; null for an engine on its own. */
    private final GroupMember member;
    private final SegmentGc gc;
    /** Background work: GC cycles, the reclaim of aborted uploads, the pending-blob sweep, tombstone purges. */
    private final ScheduledExecutorService background;
    /** Background rounds in which this engine issued the periodic commands (reclaims, tombstone purges). */
    private final java.util.concurrent.atomic.AtomicLong backgroundCommandRounds =
            new java.util.concurrent.atomic.AtomicLong();
    /** When this engine opened, by its clock: pending blobs outlive it by their retention at least. */
    private final long openedMillis;
    private final Apply apply;

    private Engine(EngineConfig config, DataDirLock lock, MetaStore meta, boolean inGroup) {
        this.config = config;
        this.lock = lock;
        this.meta = meta;
        this.openedMillis = config.clock().millis();
        LongSupplier clock = () -> config.clock().millis();
        this.blobs = new BlobStore(meta, config.dataDir().resolve("segments"), config.segmentIo(),
                config.minFreeSpace(), config.segmentSize(), config.maxWriteLanes(),
                Math.max(256, 4 * config.maxWriteLanes()), config.laneWait(), Math.toIntExact(config.pieceSize()),
                clock, inGroup ? IdSequence.nodeFloor(meta) : 1);
        MetaTables tables = meta.tables();
        this.buckets = new Buckets(tables);
        ObjectRows rows = new ObjectRows(tables, blobs.index());
        VersionStamps stamps = new VersionStamps(tables.log().lastStamp());
        UploadCommands uploadCommands = new UploadCommands(tables, buckets, blobs.index());
        this.apply = new Apply(meta, blobs.index(), buckets,
                new ObjectCommands(tables, buckets, rows, blobs.index(), stamps), uploadCommands,
                new UploadCompleter(tables, buckets, rows, uploadCommands, stamps), stamps);
        if (inGroup) {
            blobs.index().actAsReplica();
            GroupLog groupLog = new GroupLog(apply, meta, COMMAND_WAIT);
            this.log = groupLog;
            this.localLog = null;
            this.member = new GroupMember(groupLog, blobs, config, meta);
        } else {
            this.localLog = new LocalLog(apply, meta, COMMAND_WAIT,
                    failed -> failed.newBlobs().forEach(blobs.index()::forgetStaged));
            this.log = localLog;
            this.member = null;
        }
        this.objects = new ObjectService(meta, blobs, buckets, rows, log, clock, config.maxObjectSize());
        this.uploads = new UploadService(meta, blobs, buckets, log, clock,
                new UploadLimits(config.minPartSize(), config.maxPartSize()));
        this.gc = new SegmentGc(blobs, config.gc(), config.crashPoints());
        CheckpointInstall.finish(meta, blobs.index(), config.dataDir()); // one a crash cut off
        if (inGroup) {
            blobs.index().findMissing(); // named by entries applied before a restart, their bytes still away
        }
        meta.tables().uploads().indexOldTombstones(meta);
        meta.tables().usage().countExisting(meta);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tessera-background");
            t.setDaemon(true);
            return t;
        });
        reclaimSoon(); // what a crash left queued
        Duration interval = config.gc().interval();
        if (!interval.isZero()) {
            background.scheduleWithFixedDelay(() -> {
                try {
                    // commands for the whole group come from one member; this node's own files from each
                    boolean issue = mayIssueBackgroundCommands();
                    if (issue) {
                        uploads.reclaimAborted();
                    }
                    dropExpiredPendingBlobs();
                    gc.backgroundCycle();
                    if (issue) {
                        purgeTombstones();
                        backgroundCommandRounds.incrementAndGet();
                    }
                } catch (EngineException e) {
                    if (e.code() == ErrorCode.STORAGE_FULL) {
                        LOG.warn("background collection stopped, the disk is full; will retry: {}", e.getMessage());
                    } else {
                        LOG.error("background collection failed; will retry", e);
                    }
                } catch (RuntimeException e) {
                    LOG.error("background collection failed; will retry", e);
                }
            }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reclaims aborted uploads' parts in the background, now. */
    private void reclaimSoon() {
        try {
            background.execute(() -> {
                try {
                    if (mayIssueBackgroundCommands()) {
                        uploads.reclaimAborted();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("reclaiming aborted uploads failed; the next cycle retries", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("engine closing; the next open reclaims what is queued");
        }
    }

    /** Opens the engine on {@code config.dataDir()}, creating it if needed. */
    public static Engine open(EngineConfig config) {
        return open(config, false);
    }

    /**
     * Opens the engine as a member of a replicated group: its requests' commands go to the group's log
     * once {@link #member()} is connected to it, and the group's entries are applied through
     * {@link GroupMember#apply}. Until then, writes answer SLOW_DOWN.
     */
    public static Engine openMember(EngineConfig config) {
        return open(config, true);
    }

    private static Engine open(EngineConfig config, boolean inGroup) {
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        MetaStore meta = null;
        try {
            meta = MetaStore.open(config.dataDir().resolve("meta"), true);
            CheckpointInstall.redoRows(meta, config.dataDir()); // before anything reads the rows
            return new Engine(config, lock, meta, inGroup);
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

    /**
     * Waits, in a group, until this member has applied everything the group had committed when the read
     * began (linearizable reads); at once on its own.
     */
    private void readable() {
        if (member != null) {
            member.awaitReadable();
        }
    }

    /**
     * Whether this engine may issue the periodic commands of background work now (reclaims of aborted
     * uploads, tombstone purges, lifecycle actions): always on its own; in a group only on the member the
     * group says (its leader, {@link GroupMember#issueBackgroundCommandsWhen}), so each reaches the log once.
     * Work on this node's own files (sealing and collecting segments, dropping expired pending blobs) needs
     * no command and runs on every member.
     */
    public boolean mayIssueBackgroundCommands() {
        return member == null || member.mayIssueBackgroundCommands();
    }

    /** Background rounds in which this engine issued the periodic commands; for metrics and tests. */
    public long backgroundCommandRounds() {
        return backgroundCommandRounds.get();
    }

    /** This engine's side of its replicated group; null for an engine on its own ({@link #open}). */
    public GroupMember member() {
        return member;
    }

    // ---- buckets ----

    public BucketInfo createBucket(String name, String owner) {
        return toInfo(log.submit(new Command.CreateBucket(BucketIds.next(), name, owner, config.clock().millis())));
    }

    /**
     * Creates a bucket and starts its grants in the same step: grants left on its name from an earlier bucket
     * are dropped, and the access key {@code grantee} (null: none) gets {@code granteeBits} on it.
     */
    public BucketInfo createBucket(String name, String owner, String grantee, int granteeBits) {
        return toInfo(log.submit(new Command.CreateBucket(BucketIds.next(), name, owner, config.clock().millis(),
                grantee, granteeBits)));
    }

    public BucketInfo headBucket(String name) {
        readable();
        return toInfo(buckets.require(name));
    }

    public List<BucketInfo> listBuckets() {
        readable();
        List<BucketInfo> out = new ArrayList<>();
        for (BucketRecord r : buckets.list()) {
            out.add(toInfo(r));
        }
        return out;
    }

    /** Deletes an empty bucket; BUCKET_NOT_EMPTY while it holds objects or uploads in progress. */
    public void deleteBucket(String name) {
        log.submit(new Command.DeleteBucket(name));
    }

    /**
     * A bucket sub-resource document (lifecycle rules, CORS rules, tags...) by name, or null when the
     * bucket has none. The engine stores documents as given; their format is the caller's.
     */
    public byte[] bucketConfig(String bucket, String name) {
        readable();
        return buckets.config(bucket, name);
    }

    /** Sets a bucket sub-resource document; null removes it. Deleting the bucket removes them all. */
    public void setBucketConfig(String bucket, String name, byte[] document) {
        if (!name.matches("[a-z0-9.-]{1,64}")) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "invalid bucket config name " + name);
        }
        buckets.require(bucket);
        log.submit(new Command.SetBucketConfig(bucket, name, document));
    }

    /** A bucket's versioning: UNVERSIONED until it is first set. */
    public VersioningState bucketVersioning(String bucket) {
        return buckets.require(bucket).versioning();
    }

    /** Enables or suspends versioning (INVALID_ARGUMENT for UNVERSIONED: a bucket never goes back). */
    public void setBucketVersioning(String bucket, VersioningState state) {
        objects.setVersioning(bucket, state);
    }

    // ---- access keys ----

    /**
     * The access keys and their grants as this node has applied them, by id. Never waits for the group:
     * callable from an access key listener, which runs on the applying thread.
     */
    public List<AccessKeyEntry> accessKeys() {
        List<AccessKeyEntry> out = new ArrayList<>();
        for (var row : meta.tables().accessKeys().list()) {
            out.add(new AccessKeyEntry(row.accessKeyId(), row.document(), row.grants()));
        }
        return out;
    }

    /** The access keys, read after everything the group had committed when the read began (as other reads). */
    public List<AccessKeyEntry> listAccessKeys() {
        readable();
        return accessKeys();
    }

    /** Adds keys, or replaces those with their ids together with all their grants, in one command. */
    public void putAccessKeys(List<AccessKeyEntry> keys) {
        log.submit(new Command.PutAccessKeys(List.copyOf(keys)));
    }

    /** Deletes an access key with its grants; NO_SUCH_KEY when there is none. */
    public void deleteAccessKey(String accessKeyId) {
        log.submit(new Command.DeleteAccessKey(accessKeyId));
    }

    /**
     * Adds the bits {@code add}, then removes {@code remove}, from what a key holds on a bucket (whether or
     * not the bucket exists); answers the bits it holds then. NO_SUCH_KEY when there is no such key.
     */
    public int changeGrants(String accessKeyId, String bucket, int add, int remove) {
        return log.submit(new Command.ChangeGrants(accessKeyId, bucket, add, remove));
    }

    /**
     * Runs {@code listener} after every change of access keys or grants this node applies (and after a
     * checkpoint replaced its state), on the applying thread, before the change's answer is given. It must
     * be quick and must not wait for the group (read with {@link #accessKeys()}).
     */
    public void onAccessKeysChanged(Runnable listener) {
        apply.onAccessKeysChanged(listener);
    }

    private static BucketInfo toInfo(BucketRecord r) {
        return new BucketInfo(r.name(), r.id(), Instant.ofEpochMilli(r.createdMillis()), r.owner());
    }

    // ---- objects ----

    /**
     * Starts a single-shot object write (PutObject). A small body of announced length
     * ({@link EngineConfig#isSmallBody}) is collected in memory and appended to the segment small bodies
     * share, where one fdatasync covers every record appended before it. Any other is collected in a piece
     * buffer (at most {@link EngineConfig#bodyMemory} bytes of memory while it is written) and appended piece by
     * piece, each piece through a write lane held only for that append: a body whose client is silent holds
     * no lane. SLOW_DOWN when the bodies being written hold every piece buffer the engine allows, or when no
     * lane frees up for an append within {@link EngineConfig#laneWait()}; STORAGE_FULL, before any byte is
     * read, for an announced length the disk cannot take.
     */
    public BodyWriter<ObjectInfo> beginPutObject(String bucket, String key, PutOptions options) {
        if (config.isSmallBody(options.expectedLength())) {
            return objects.beginSmallPut(bucket, key, options);
        }
        return objects.beginPut(bucket, key, options);
    }

    public ObjectInfo headObject(String bucket, String key) {
        readable();
        return objects.head(bucket, key, null);
    }

    /**
     * The version {@code versionId} of an object ({@code "null"}: the null version; Java null: the
     * current one). NO_SUCH_VERSION when there is no such version, METHOD_NOT_ALLOWED when it is a
     * delete marker, NO_SUCH_KEY when a delete marker is current ({@link EngineException#deleteMarker()}
     * tells which marker).
     */
    public ObjectInfo headObject(String bucket, String key, String versionId) {
        readable();
        return objects.head(bucket, key, versionId);
    }

    public ObjectContent getObject(String bucket, String key, ReadRange range) {
        readable();
        return objects.get(bucket, key, null, range);
    }

    /** The bytes of a version, as {@link #headObject(String, String, String)} finds it. */
    public ObjectContent getObject(String bucket, String key, String versionId, ReadRange range) {
        readable();
        return objects.get(bucket, key, versionId, range);
    }

    public DeleteOutcome deleteObject(String bucket, String key) {
        return objects.delete(bucket, key, Precondition.NONE);
    }

    /**
     * Deletes an object if {@code condition} holds for it, checked atomically with the delete:
     * NO_SUCH_KEY when If-Match finds no object, PRECONDITION_FAILED when a condition fails. In an
     * Enabled bucket this adds a delete marker; in a Suspended one it replaces the null version by a
     * null delete marker.
     */
    public DeleteOutcome deleteObject(String bucket, String key, Precondition condition) {
        return objects.delete(bucket, key, condition);
    }

    /** Removes version {@code versionId} ({@code "null"}: the null version) for good; absent is no error. */
    public DeleteOutcome deleteObjectVersion(String bucket, String key, String versionId) {
        return objects.deleteVersion(bucket, key, versionId);
    }

    public VersionListing listObjectVersions(String bucket, ListVersionsQuery query) {
        readable();
        return objects.listVersions(bucket, query);
    }

    /**
     * Sets (or, with a null value, removes) one metadata entry of the key's current object without
     * rewriting its bytes, decided against the object current when the change applies. Size, ETag and
     * last-modified time stay as they are. NO_SUCH_KEY when there is no object.
     */
    public ObjectInfo setMetadataEntry(String bucket, String key, String name, String value) {
        return objects.setMetadataEntry(bucket, key, name, value);
    }

    /** CopyObject: the bytes of the source (or a range of it) become a new single-shot object. */
    public ObjectInfo copyObject(String srcBucket, String srcKey, String dstBucket, String dstKey,
                                 PutOptions options) {
        return copyObject(srcBucket, srcKey, null, dstBucket, dstKey, options).object();
    }

    /** CopyObject from version {@code srcVersionId} of the source (null: its current version). */
    public CopyResult copyObject(String srcBucket, String srcKey, String srcVersionId, String dstBucket, String dstKey,
                                 PutOptions options) {
        try (ObjectContent src = getObject(srcBucket, srcKey, srcVersionId, ReadRange.ALL);
             BodyWriter<ObjectInfo> w = beginPutObject(dstBucket, dstKey, options.withExpectedLength(src.length()))) {
            src.writeTo(w);
            return new CopyResult(w.commit(BodyExpectations.NONE), src.info().versionId());
        }
    }

    public ObjectListing listObjects(String bucket, ListObjectsQuery query) {
        readable();
        return objects.list(bucket, query);
    }

    // ---- multipart ----

    public UploadInfo createUpload(String bucket, String key, UploadOptions options) {
        return uploads.create(bucket, key, options);
    }

    /**
     * Starts writing one part (UploadPart); a later part with the same number replaces it. Its body is
     * written as {@link #beginPutObject(String, String, PutOptions)} writes a large one.
     */
    public BodyWriter<PartInfo> beginUploadPart(String bucket, String key, String uploadId, int partNumber,
                                                PartOptions options) {
        return uploads.beginPart(bucket, key, uploadId, partNumber, options);
    }

    /** UploadPartCopy: a range (or all) of an existing object becomes a part. */
    public PartInfo uploadPartCopy(String srcBucket, String srcKey, ReadRange range, String bucket, String key,
                                   String uploadId, int partNumber) {
        return uploadPartCopy(srcBucket, srcKey, null, range, bucket, key, uploadId, partNumber);
    }

    /** UploadPartCopy from version {@code srcVersionId} of the source (null: its current version). */
    public PartInfo uploadPartCopy(String srcBucket, String srcKey, String srcVersionId, ReadRange range, String bucket,
                                   String key, String uploadId, int partNumber) {
        try (ObjectContent src = getObject(srcBucket, srcKey, srcVersionId, range);
             BodyWriter<PartInfo> w = beginUploadPart(bucket, key, uploadId, partNumber,
                     new PartOptions(null, src.length()))) {
            src.writeTo(w);
            return w.commit(BodyExpectations.NONE);
        }
    }

    // ---- write lanes ----

    /**
     * Write lanes held right now: by threads appending a record (a piece of a body, a compaction copy) at
     * this moment, never by a body waiting for its client.
     */
    public int busyWriteLanes() {
        return blobs.lanes().busyLanes();
    }

    public PartListing listParts(String bucket, String key, String uploadId, int maxParts, int partNumberMarker) {
        readable();
        return uploads.listParts(bucket, key, uploadId, maxParts, partNumberMarker);
    }

    public UploadListing listUploads(String bucket, ListUploadsQuery query) {
        readable();
        return uploads.listUploads(bucket, query);
    }

    public ObjectInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                                     CompleteOptions options) {
        return uploads.complete(bucket, key, uploadId, parts, options);
    }

    /**
     * Aborts an upload: final in one call, parts still in flight are refused when they land. Costs
     * the same whatever the number of parts: the parts' rows and bytes are reclaimed in the
     * background right after (and by every collection cycle).
     */
    public void abortUpload(String bucket, String key, String uploadId) {
        abortUpload(bucket, key, uploadId, null);
    }

    /**
     * Aborts an upload only if it was initiated in the second of {@code ifInitiatedAt}
     * (PRECONDITION_FAILED otherwise); an upload that does not exist is then no error. Null: no condition.
     */
    public void abortUpload(String bucket, String key, String uploadId, Instant ifInitiatedAt) {
        uploads.abort(bucket, key, uploadId, ifInitiatedAt);
        reclaimSoon();
    }

    /**
     * Drops the part rows and bytes of aborted uploads now, instead of waiting for the background
     * reclaim that every abort triggers; returns how many uploads it reclaimed.
     */
    public int reclaimAbortedUploads() {
        return uploads.reclaimAborted();
    }

    /** Keeps commands from applying until the hold is closed; for tests, which need a write to wait there. */
    AutoCloseable holdCommands() {
        return localLog.hold();
    }

    /** Tells {@code observer} of every command applied from now on; for tests that replay the log on replicas. */
    void observeCommands(java.util.function.BiConsumer<Long, byte[]> observer) {
        localLog.observe(observer);
    }

    /**
     * Applies a command another engine logged (its bytes), as a replica would; returns its answer or
     * throws the EngineException it answered with. On a group member, {@link GroupMember#connect} must have
     * been given a log; the blobs the command names must have been received first.
     */
    Object applyReplicated(byte[] entry) {
        return log.submit(CommandCodec.decode(entry));
    }

    /** A full cycle of the node's own collection (segments only: no command is issued); for replica tests. */
    GcReport compactSegments() {
        return gc.collect(true);
    }

    // ---- space and verification ----

    /** Usage of every bucket, from counters kept exact in the same batches as the rows they count. */
    public List<BucketUsage> usage() {
        List<BucketUsage> out = new ArrayList<>();
        var tables = meta.tables();
        for (BucketRecord b : buckets.list()) {
            UsageTable.Usage u = tables.usage().get(b.id());
            long oldest = tables.uploads().oldestOpenMillis(b.id());
            out.add(new BucketUsage(b.name(), u.objects(), u.objectBytes(), u.uploads(), u.uploadBytes(),
                    oldest < 0 ? null : Instant.ofEpochMilli(oldest)));
        }
        return out;
    }

    /** Space, collection and write-path figures for monitoring. */
    public EngineStats stats() {
        long live = 0;
        long dead = 0;
        long reclaimable = 0;
        for (SegmentSpace s : space().values()) {
            live += s.liveBytes();
            dead += s.deadBytes();
            reclaimable += s.active() ? 0 : s.deadBytes();
        }
        return new EngineStats(live, dead, reclaimable, meta.tables().uploads().estimatedTombstones(meta),
                busyWriteLanes(), ActiveSegment.SYNCS.count(), ActiveSegment.SYNCS.nanos(), gc.stats(),
                meta.walSyncs());
    }

    /** Per-segment size, live and dead bytes. */
    public Map<Long, SegmentSpace> space() {
        return blobs.space();
    }

    /**
     * Runs a full collection cycle now: reclaims aborted uploads' parts, drops pending blobs past their
     * retention ({@link #dropExpiredPendingBlobs}), seals idle active segments,
     * deletes dead ones and compacts every segment holding garbage. Afterwards the only dead bytes left are in segments still
     * being written.
     */
    public GcReport collectGarbage() {
        reclaimAbortedUploads();
        dropExpiredPendingBlobs();
        return gc.collect(true);
    }

    /**
     * Drops the pending blobs (held for a command, see {@link GroupMember}) that no command adopted within
     * {@link EngineConfig#pendingBlobRetention()}: their command never got into the log. None goes before
     * the engine has been open that long too, so a member that was down replays its log first. Every
     * background cycle runs this; returns how many blobs were dropped.
     */
    int dropExpiredPendingBlobs() {
        long now = config.clock().millis();
        long retention = config.pendingBlobRetention().toMillis();
        if (now - openedMillis < retention) {
            return 0;
        }
        return blobs.index().dropPendingBefore(now - retention);
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

    @Override
    public void close() {
        background.shutdownNow();
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("background work did not stop within 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
        blobs.close();
        meta.close();
        lock.close();
    }
}
