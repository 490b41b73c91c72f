package io.tessera.server.lifecycle;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.Precondition;
import io.tessera.engine.ObjectListing;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.UploadListing;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * One sweep of one bucket at one instant: lists the uploads and objects its enabled rules cover, page by page,
 * and issues the due actions as ordinary engine commands ({@link Engine#abortUpload},
 * {@link Engine#deleteObject}), so that the decision (with its clock) is made here and the engine applies
 * commands without one. An object is deleted only if a fresh read still finds it due: one overwritten
 * since the listing is left alone. Uses the synchronous engine API: callers run it on a thread of their own,
 * never on an event loop or an engine I/O thread. Not thread-safe (one sweep at a time per instance).
 */
public final class LifecycleSweeper {
    /** Listing page size of a sweep. */
    public static final int DEFAULT_PAGE = 1000;

    private final Engine engine;
    private final int pageSize;

    public LifecycleSweeper(Engine engine, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        this.engine = engine;
        this.pageSize = pageSize;
    }

    /**
     * Applies {@code rules} to {@code bucket} as of {@code now}.
     *
     * @param stop polled between items; when it answers true the sweep ends early
     * @return what was done, or null when {@code stop} ended the sweep before it was complete
     * @throws EngineException when the bucket vanished (NO_SUCH_BUCKET) or the engine failed
     */
    public SweepReport sweep(String bucket, LifecycleRules rules, Instant now, BooleanSupplier stop) {
        int aborted = 0;
        for (String prefix : rules.scanPrefixes(LifecycleRule::abortsUploads)) {
            String keyMarker = null;
            String uploadIdMarker = null;
            UploadListing page;
            do {
                page = engine.listUploads(bucket,
                        new ListUploadsQuery(emptyToNull(prefix), null, keyMarker, uploadIdMarker, pageSize));
                for (UploadInfo u : page.uploads()) {
                    if (stop.getAsBoolean()) {
                        return null;
                    }
                    Deadline d = rules.abortDeadline(u.key(), u.initiated());
                    if (d != null && d.isDue(now) && abort(bucket, u)) {
                        aborted++;
                    }
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            } while (page.truncated());
        }
        int expired = 0;
        for (String prefix : rules.scanPrefixes(r -> r.expiresObjects()
                && (r.expirationDate() == null || !now.isBefore(r.expirationDate())))) {
            String after = null;
            ObjectListing page;
            do {
                page = engine.listObjects(bucket, new ListObjectsQuery(emptyToNull(prefix), null, after, pageSize));
                for (ObjectInfo o : page.objects()) {
                    if (stop.getAsBoolean()) {
                        return null;
                    }
                    Deadline d = rules.expiryDeadline(o.key(), o.lastModified());
                    if (d != null && d.isDue(now) && expire(bucket, o.key(), rules, now)) {
                        expired++;
                    }
                }
                after = page.nextMarker();
            } while (page.truncated());
        }
        return new SweepReport(1, aborted, expired);
    }

    /** Aborts an upload; false when it was completed or aborted meanwhile. */
    private boolean abort(String bucket, UploadInfo u) {
        try {
            engine.abortUpload(bucket, u.key(), u.uploadId());
            return true;
        } catch (EngineException e) {
            if (e.code() == ErrorCode.NO_SUCH_UPLOAD) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Deletes the object if its current version is still due; false when it is gone or was rewritten since
     * the listing. The delete is conditional on the version judged, so a write landing between the read
     * and the delete is never lost.
     */
    private boolean expire(String bucket, String key, LifecycleRules rules, Instant now) {
        ObjectInfo current;
        try {
            current = engine.headObject(bucket, key);
        } catch (EngineException e) {
            if (e.code() == ErrorCode.NO_SUCH_KEY) {
                return false;
            }
            throw e;
        }
        Deadline d = rules.expiryDeadline(key, current.lastModified());
        if (d == null || !d.isDue(now)) {
            return false;
        }
        try {
            engine.deleteObject(bucket, key,
                    Precondition.ifMatch(current.etag()).withLastModified(current.lastModified()));
        } catch (EngineException e) {
            if (e.code() == ErrorCode.PRECONDITION_FAILED || e.code() == ErrorCode.NO_SUCH_KEY) {
                return false; // rewritten or deleted meanwhile: the new version is judged next time
            }
            throw e;
        }
        return true;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
