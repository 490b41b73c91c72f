package io.tessera.server.admin;

import io.tessera.engine.BucketUsage;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.EngineStats;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.FsckReport;
import io.tessera.engine.GcReport;
import io.tessera.engine.GcStats;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartListing;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.UploadListing;
import io.tessera.server.admin.AdminReports.Abort;
import io.tessera.server.admin.AdminReports.BucketSpace;
import io.tessera.server.admin.AdminReports.Fsck;
import io.tessera.server.admin.AdminReports.Gc;
import io.tessera.server.admin.AdminReports.GcTotals;
import io.tessera.server.admin.AdminReports.Space;
import io.tessera.server.admin.AdminReports.SpaceReport;
import io.tessera.server.admin.AdminReports.Status;
import io.tessera.server.admin.AdminReports.Upload;
import io.tessera.server.admin.AdminReports.Uploads;
import io.tessera.server.metrics.EngineSnapshot;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the admin API and the offline admin commands do on an engine: status, space per bucket, the
 * incomplete uploads older than a cutoff (listed or aborted), a full GC cycle and fsck. Every method
 * does disk I/O and may take long (fsck with bodies reads every byte): never call one on an event loop.
 *
 * <p>Thread-safe (the engine is).
 */
public final class AdminOperations {
    /** The most uploads, problems or orphan files a single answer lists. */
    public static final int MAX_LISTED = 1000;

    private final Engine engine;
    private final String version;
    private final Instant started;
    private final KeyOperations keys;

    /**
     * @param version the node's version
     * @param started when the node started (wall clock, for its uptime), or null for an engine opened offline
     */
    public AdminOperations(Engine engine, String version, Instant started) {
        this.engine = engine;
        this.version = version;
        this.started = started;
        this.keys = new KeyOperations(engine);
    }

    /** The access key operations on this engine. */
    public KeyOperations keys() {
        return keys;
    }

    private Instant now() {
        return engine.config().clock().instant();
    }

    /**
     * The uploads started at or before {@code now - age}: those older than {@code age}. In whole milliseconds,
     * as upload times are.
     */
    public Instant cutoff(Duration age) {
        return now().minus(age).truncatedTo(ChronoUnit.MILLIS);
    }

    public Status status() {
        EngineSnapshot s = EngineSnapshot.take(engine);
        Path dir = engine.config().dataDir();
        long free = -1;
        long total = -1;
        try {
            FileStore store = Files.getFileStore(dir);
            free = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (IOException e) {
            // reported as -1: the space of a file system that cannot be asked is unknown
        }
        EngineStats st = s.stats();
        GcStats gc = st.gc();
        return new Status(version, started == null ? "offline" : "node", started == null ? null : started.toString(),
                started == null ? null : Duration.between(started, Instant.now()).toSeconds(),
                dir.toAbsolutePath().normalize().toString(),
                space(s), st.busyWriteLanes(), engine.config().maxWriteLanes(), st.fsyncs(), st.fsyncNanos() / 1e9,
                new GcTotals(gc.cycles(), gc.segmentsDeleted(), gc.segmentsCompacted(), gc.bytesCopied(),
                        gc.bytesReclaimed()), free, total);
    }

    /** Every bucket's space, or only {@code bucket}'s (NO_SUCH_BUCKET when it does not exist). */
    public SpaceReport space(String bucket) {
        EngineSnapshot s = EngineSnapshot.take(engine);
        List<BucketSpace> out = new ArrayList<>();
        for (BucketUsage u : s.usage()) {
            if (bucket == null || bucket.equals(u.bucket())) {
                out.add(new BucketSpace(u.bucket(), u.objects(), u.objectBytes(), u.uploads(), u.uploadBytes(),
                        u.oldestUpload() == null ? null : u.oldestUpload().toString()));
            }
        }
        if (bucket != null && out.isEmpty()) {
            engine.headBucket(bucket); // NO_SUCH_BUCKET, or a bucket the usage listing did not name yet
            out.add(new BucketSpace(bucket, 0, 0, 0, 0, null));
        }
        return new SpaceReport(out, space(s));
    }

    private static Space space(EngineSnapshot s) {
        EngineStats st = s.stats();
        return new Space(s.buckets(), s.objects(), s.objectBytes(), s.uploads(), s.uploadBytes(),
                s.oldestUpload() == null ? null : s.oldestUpload().toString(), s.oldestUploadAge().toSeconds(),
                s.segments(), s.segmentBytes(), st.liveBytes(), st.deadBytes(), st.reclaimableBytes(),
                st.tombstones());
    }

    /**
     * The incomplete uploads started at or before {@code cutoff}, in {@code bucket} or all buckets: how
     * many, their bytes, and the first {@code limit} of them.
     */
    public Uploads uploads(Instant cutoff, String bucket, int limit) {
        Instant now = now();
        List<Upload> listed = new ArrayList<>();
        long[] countAndBytes = new long[2];
        forEachUpload(bucket, u -> !u.initiated().isAfter(cutoff), u -> {
            Upload up = measure(u, now);
            countAndBytes[0]++;
            countAndBytes[1] += up.bytes();
            if (listed.size() < limit) {
                listed.add(up);
            }
        });
        return new Uploads(cutoff.toString(), countAndBytes[0], countAndBytes[1], listed, countAndBytes[0] > limit);
    }

    /**
     * Aborts up to {@code limit} of the incomplete uploads started at or before {@code cutoff} (in
     * {@code bucket} or all buckets), or with {@code dryRun} only tells which it would abort. Callers with
     * thousands call again while {@link Abort#more()}; the cutoff stays the same between calls, so the
     * run ends.
     */
    public Abort abortUploads(Instant cutoff, String bucket, int limit, boolean dryRun) {
        Instant now = now();
        List<UploadInfo> batch = new ArrayList<>();
        long[] matched = new long[1];
        forEachUpload(bucket, u -> !u.initiated().isAfter(cutoff), u -> {
            matched[0]++;
            if (batch.size() < limit) {
                batch.add(u);
            }
        });
        List<Upload> done = new ArrayList<>();
        long bytes = 0;
        long gone = 0;
        for (UploadInfo u : batch) {
            Upload up;
            try {
                up = measure(u, now);
                if (!dryRun) {
                    engine.abortUpload(u.bucket(), u.key(), u.uploadId());
                }
            } catch (EngineException e) {
                if (e.code() != ErrorCode.NO_SUCH_UPLOAD) {
                    throw e;
                }
                gone++; // completed or aborted since it was listed
                continue;
            }
            bytes += up.bytes();
            if (done.size() < MAX_LISTED) {
                done.add(up);
            }
        }
        long aborted = dryRun ? 0 : batch.size() - gone;
        return new Abort(dryRun, cutoff.toString(), matched[0], aborted, gone, bytes, done,
                matched[0] > batch.size());
    }

    /** Runs a full GC cycle now. */
    public Gc gc() {
        EngineStats before = engine.stats();
        long segmentsBefore = segmentBytes();
        long t0 = System.nanoTime();
        GcReport r = engine.collectGarbage();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        EngineStats after = engine.stats();
        return new Gc(millis, r.segmentsDeleted(), r.segmentsCompacted(), r.bytesCopied(), r.bytesReclaimed(),
                before.deadBytes(), after.deadBytes(), segmentsBefore, segmentBytes());
    }

    private long segmentBytes() {
        return engine.space().values().stream().mapToLong(s -> s.size()).sum();
    }

    /** Verifies references, record CRCs (every body byte too with {@code bodies}) and live-byte counts. */
    public Fsck fsck(boolean bodies) {
        long t0 = System.nanoTime();
        FsckReport r = engine.fsck(bodies);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new Fsck(bodies, r.clean(), millis, r.blobs(), r.segments(), r.liveBytes(), r.problems().size(),
                first(r.problems()), r.orphanFiles().size(), first(r.orphanFiles()));
    }

    private static List<String> first(List<String> all) {
        return List.copyOf(all.size() <= MAX_LISTED ? all : all.subList(0, MAX_LISTED));
    }

    /** Visits the uploads of one bucket or all that pass {@code filter}, in listing order. */
    private void forEachUpload(String bucket, Predicate<UploadInfo> filter, Consumer<UploadInfo> visit) {
        List<String> buckets = new ArrayList<>();
        if (bucket != null) {
            buckets.add(engine.headBucket(bucket).name());
        } else {
            engine.listBuckets().forEach(b -> buckets.add(b.name()));
        }
        for (String b : buckets) {
            String keyMarker = null;
            String idMarker = null;
            while (true) {
                UploadListing page;
                try {
                    page = engine.listUploads(b, new ListUploadsQuery(null, null, keyMarker, idMarker, 1000));
                } catch (EngineException e) {
                    if (e.code() == ErrorCode.NO_SUCH_BUCKET && bucket == null) {
                        break; // deleted while we walked the buckets
                    }
                    throw e;
                }
                for (UploadInfo u : page.uploads()) {
                    if (filter.test(u)) {
                        visit.accept(u);
                    }
                }
                if (!page.truncated()) {
                    break;
                }
                keyMarker = page.nextKeyMarker();
                idMarker = page.nextUploadIdMarker();
            }
        }
    }

    /** An upload with its parts counted and their bytes summed. */
    private Upload measure(UploadInfo u, Instant now) {
        int parts = 0;
        long bytes = 0;
        int marker = 0;
        while (true) {
            PartListing page = engine.listParts(u.bucket(), u.key(), u.uploadId(), 1000, marker);
            for (PartInfo p : page.parts()) {
                parts++;
                bytes += p.size();
            }
            if (!page.truncated()) {
                break;
            }
            marker = page.nextPartNumberMarker();
        }
        long age = u.initiated().isAfter(now) ? 0 : Duration.between(u.initiated(), now).toSeconds();
        return new Upload(u.bucket(), u.key(), u.uploadId(), u.initiated().toString(), age, parts, bytes);
    }
}
