package io.tessera.server.console;

import io.tessera.engine.BodyWriter;
import io.tessera.engine.BucketInfo;
import io.tessera.engine.BucketUsage;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectListing;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartListing;
import io.tessera.engine.PartOptions;
import io.tessera.engine.PutOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.UploadListing;
import io.tessera.engine.UploadOptions;
import io.tessera.server.admin.AdminOperations;
import io.tessera.server.admin.AdminReports.Upload;
import io.tessera.server.console.ConsoleDocuments.Aborted;
import io.tessera.server.console.ConsoleDocuments.Bucket;
import io.tessera.server.console.ConsoleDocuments.ObjectPage;
import io.tessera.server.console.ConsoleDocuments.ObjectRow;
import io.tessera.server.console.ConsoleDocuments.Started;
import io.tessera.server.console.ConsoleDocuments.UploadsPage;
import io.tessera.server.route.BucketNames;
import io.tessera.server.route.ObjectKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the console does on the engine, as the node's admin: every bucket, whoever owns it. Buckets and
 * objects it creates belong to the owner of the admin key that signed in. Every method does disk I/O: never call one on an
 * event loop; a body's writes may wait (bounded) for a write lane while they append a piece.
 *
 * <p>Thread-safe (the engine is).
 */
final class ConsoleData {
    /** The most objects and prefixes one listing page holds. */
    static final int MAX_PAGE = 1000;

    private final Engine engine;
    private final AdminOperations operations;
    private final Map<String, String> owners;

    /** @param owners the admin keys' owners, by access key id */
    ConsoleData(Engine engine, AdminOperations operations, Map<String, String> owners) {
        this.engine = engine;
        this.operations = operations;
        this.owners = Map.copyOf(owners);
    }

    /** The owner of what {@code accessKeyId} creates. */
    String owner(String accessKeyId) {
        String o = owners.get(accessKeyId);
        if (o == null) {
            throw new IllegalStateException("no owner for the admin key " + accessKeyId);
        }
        return o;
    }

    AdminOperations operations() {
        return operations;
    }

    /** The smallest part the engine takes (except the last). */
    long minPartSize() {
        return engine.config().minPartSize();
    }

    List<Bucket> buckets() {
        Map<String, BucketUsage> usage = new HashMap<>();
        for (BucketUsage u : engine.usage()) {
            usage.put(u.bucket(), u);
        }
        List<Bucket> out = new ArrayList<>();
        for (BucketInfo b : engine.listBuckets()) {
            BucketUsage u = usage.get(b.name());
            out.add(new Bucket(b.name(), b.created().toString(), u == null ? 0 : u.objects(),
                    u == null ? 0 : u.objectBytes(), u == null ? 0 : u.uploads(), u == null ? 0 : u.uploadBytes()));
        }
        return out;
    }

    void createBucket(String name, String owner) {
        engine.createBucket(BucketNames.validate(name), owner);
    }

    void deleteBucket(String name) {
        engine.deleteBucket(name);
    }

    /** A page of {@code bucket} under {@code prefix}, folded at {@code /}, starting after {@code after}. */
    ObjectPage objects(String bucket, String prefix, String after, int limit) {
        String p = prefix == null ? "" : prefix;
        ObjectListing l = engine.listObjects(bucket, new ListObjectsQuery(p.isEmpty() ? null : p, "/",
                after == null || after.isEmpty() ? null : after, Math.min(limit, MAX_PAGE)));
        List<ObjectRow> rows = new ArrayList<>(l.objects().size());
        for (ObjectInfo o : l.objects()) {
            rows.add(new ObjectRow(o.key(), o.size(), o.etag(), o.lastModified().toString(), o.parts().size()));
        }
        return new ObjectPage(bucket, p, l.commonPrefixes(), rows, l.truncated(), l.truncated() ? l.nextMarker() : null);
    }

    void deleteObject(String bucket, String key) {
        engine.deleteObject(bucket, key(key));
    }

    /** The object's bytes; the caller closes the content. */
    ObjectContent open(String bucket, String key) {
        return engine.getObject(bucket, key(key), ReadRange.ALL);
    }

    /** Starts writing an object of {@code length} bytes in one request. */
    BodyWriter<ObjectInfo> beginPut(String bucket, String key, String contentType, long length, String owner) {
        return engine.beginPutObject(bucket, key(key), PutOptions.of(metadata(contentType), owner)
                .withExpectedLength(length));
    }

    Started startUpload(String bucket, String key, String contentType, long partSize, String owner) {
        UploadInfo u = engine.createUpload(bucket, key(key), UploadOptions.of(metadata(contentType), owner));
        return new Started(u.bucket(), u.key(), u.uploadId(), partSize);
    }

    /** Starts writing part {@code part} of {@code length} bytes. */
    BodyWriter<PartInfo> beginPart(String bucket, String key, String uploadId, int part, long length) {
        return engine.beginUploadPart(bucket, key(key), uploadId, part, new PartOptions(null, length));
    }

    /** Completes the upload with every part it holds, in order (the page sent them all). */
    ObjectInfo complete(String bucket, String key, String uploadId) {
        List<CompletedPart> parts = new ArrayList<>();
        forEachPart(bucket, key(key), uploadId, p -> parts.add(new CompletedPart(p.partNumber(), p.etag(), null)));
        if (parts.isEmpty()) {
            throw new EngineException(ErrorCode.INVALID_REQUEST, "the upload has no part to complete");
        }
        return engine.completeUpload(bucket, key, uploadId, parts, CompleteOptions.NONE);
    }

    /**
     * The incomplete uploads of {@code bucket} (or all buckets): how many and their bytes from the engine's exact
     * counters, and the first {@code limit} in listing order, each with its parts and bytes. Only the listed
     * uploads' parts are read, so a node with a million forgotten uploads answers as fast as one with ten.
     */
    UploadsPage uploads(String bucket, int limit) {
        String only = bucket == null || bucket.isEmpty() ? null : bucket;
        long count = 0;
        long bytes = 0;
        for (BucketUsage u : engine.usage()) {
            if (only == null || only.equals(u.bucket())) {
                count += u.uploads();
                bytes += u.uploadBytes();
            }
        }
        List<String> buckets = new ArrayList<>();
        if (only != null) {
            buckets.add(engine.headBucket(only).name());
        } else {
            engine.listBuckets().forEach(b -> buckets.add(b.name()));
        }
        Instant now = engine.config().clock().instant();
        List<Upload> listed = new ArrayList<>();
        boolean more = false;
        for (String b : buckets) {
            String keyMarker = null;
            String idMarker = null;
            while (!more) {
                UploadListing page;
                try {
                    page = engine.listUploads(b, new ListUploadsQuery(null, null, keyMarker, idMarker,
                            Math.min(1000, limit - listed.size() + 1)));
                } catch (EngineException e) {
                    if (e.code() == ErrorCode.NO_SUCH_BUCKET && only == null) {
                        break; // deleted while we walked the buckets
                    }
                    throw e;
                }
                for (UploadInfo u : page.uploads()) {
                    if (listed.size() == limit) {
                        more = true;
                        break;
                    }
                    listed.add(measure(u, now));
                }
                if (!page.truncated()) {
                    break;
                }
                keyMarker = page.nextKeyMarker();
                idMarker = page.nextUploadIdMarker();
            }
        }
        return new UploadsPage(count, bytes, listed, more || count > listed.size());
    }

    private Upload measure(UploadInfo u, Instant now) {
        int[] parts = new int[1];
        long[] bytes = new long[1];
        try {
            forEachPart(u.bucket(), u.key(), u.uploadId(), p -> {
                parts[0]++;
                bytes[0] += p.size();
            });
        } catch (EngineException e) {
            if (e.code() != ErrorCode.NO_SUCH_UPLOAD) {
                throw e;
            }
            // completed or aborted since it was listed: shown with what it was seen to hold
        }
        long age = u.initiated().isAfter(now) ? 0 : Duration.between(u.initiated(), now).toSeconds();
        return new Upload(u.bucket(), u.key(), u.uploadId(), u.initiated().toString(), age, parts[0], bytes[0]);
    }

    /** Aborts one upload, telling the parts and bytes it held. */
    Aborted abort(String bucket, String key, String uploadId) {
        int[] parts = new int[1];
        long[] bytes = new long[1];
        forEachPart(bucket, key(key), uploadId, p -> {
            parts[0]++;
            bytes[0] += p.size();
        });
        engine.abortUpload(bucket, key, uploadId);
        return new Aborted(bucket, key, uploadId, parts[0], bytes[0]);
    }

    private void forEachPart(String bucket, String key, String uploadId, Consumer<PartInfo> visit) {
        int marker = 0;
        while (true) {
            PartListing page = engine.listParts(bucket, key, uploadId, 1000, marker);
            page.parts().forEach(visit);
            if (!page.truncated()) {
                return;
            }
            marker = page.nextPartNumberMarker();
        }
    }

    private static ObjectMetadata metadata(String contentType) {
        return contentType == null || contentType.isBlank() ? ObjectMetadata.EMPTY
                : new ObjectMetadata(Map.of("content-type", contentType));
    }

    private static String key(String key) {
        if (key == null || key.isEmpty()) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "an object key is needed");
        }
        return ObjectKeys.validate(key);
    }
}
