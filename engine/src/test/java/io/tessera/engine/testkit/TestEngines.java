package io.tessera.engine.testkit;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.BucketInfo;
import io.tessera.engine.ListVersionsQuery;
import io.tessera.engine.ObjectVersion;
import io.tessera.engine.VersionListing;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ObjectPart;
import io.tessera.engine.PartListing;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartOptions;
import io.tessera.engine.PutOptions;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.ReadRange;
import io.tessera.engine.SegmentSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Small helpers for tests that drive a real engine on a temporary directory. */
public final class TestEngines {
    public static final String OWNER = "owner-1";
    /** Small parts keep tests fast; the 5 MiB rule is tested with this as the minimum. */
    public static final long MIN_PART = 1024;

    private TestEngines() {
    }

    public static EngineConfig config(Path dir) {
        return EngineConfig.defaults(dir).withMinPartSize(MIN_PART).withSegmentSize(4L << 20)
                .withGc(io.tessera.engine.GcPolicy.MANUAL);
    }

    public static Engine open(Path dir) {
        return Engine.open(config(dir));
    }

    public static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The options of a PutObject by {@link #OWNER} that announces {@code length} bytes. */
    public static PutOptions sized(long length) {
        return PutOptions.of(ObjectMetadata.EMPTY, OWNER).withExpectedLength(length);
    }

    public static ObjectInfo put(Engine e, String bucket, String key, byte[] body) {
        try (BodyWriter<ObjectInfo> w = e.beginPutObject(bucket, key, sized(body.length))) {
            w.write(ByteBuffer.wrap(body));
            return w.commit(BodyExpectations.NONE);
        }
    }

    public static PartInfo part(Engine e, String bucket, String key, String uploadId, int n, byte[] body) {
        try (BodyWriter<PartInfo> w = e.beginUploadPart(bucket, key, uploadId, n, new PartOptions(null, body.length))) {
            w.write(ByteBuffer.wrap(body));
            return w.commit(BodyExpectations.NONE);
        }
    }

    public static byte[] read(Engine e, String bucket, String key) {
        return read(e, bucket, key, ReadRange.ALL);
    }

    public static byte[] read(Engine e, String bucket, String key, ReadRange range) {
        try (ObjectContent c = e.getObject(bucket, key, range)) {
            return c.stream().readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The record bytes of a blob of {@code size} bytes: one record per piece of {@code config.pieceSize()}
     * bytes, the last one shorter (a small body, at most the small-body limit, is one record; so the rule
     * holds only while that limit is at most the piece size, which this checks).
     */
    public static long blobRecordBytes(EngineConfig config, long size) {
        if (config.smallBodyLimit() > config.pieceSize()) {
            throw new IllegalArgumentException("small bodies larger than a piece: record bytes depend on how a body"
                    + " was written");
        }
        long piece = config.pieceSize();
        long whole = size / piece;
        long rest = size % piece;
        return whole * RecordFormat.recordLength(piece) + (rest > 0 || whole == 0 ? RecordFormat.recordLength(rest) : 0);
    }

    /**
     * What the live-byte counters must add up to, derived from what the engine lists: the records of
     * one blob per single-shot object version, one per part of a multipart one (noncurrent versions
     * included, delete markers hold nothing), one per part of an open upload.
     */
    public static long expectedLiveBytes(Engine e) {
        long sum = 0;
        for (BucketInfo b : e.listBuckets()) {
            String keyMarker = null;
            String idMarker = null;
            VersionListing page;
            do {
                page = e.listObjectVersions(b.name(), new ListVersionsQuery(null, null, keyMarker, idMarker, 1000));
                for (ObjectVersion v : page.versions()) {
                    if (v.deleteMarker()) {
                        continue;
                    }
                    ObjectInfo o = e.headObject(b.name(), v.key(), v.versionId());
                    if (o.isMultipart()) {
                        for (ObjectPart p : o.parts()) {
                            sum += blobRecordBytes(e.config(), p.size());
                        }
                    } else {
                        sum += blobRecordBytes(e.config(), o.size());
                    }
                }
                keyMarker = page.nextKeyMarker();
                idMarker = page.nextVersionIdMarker();
            } while (page.truncated());
            for (UploadInfo u : e.listUploads(b.name(), new ListUploadsQuery(null, null, null, null, 1000)).uploads()) {
                PartListing parts = e.listParts(b.name(), u.key(), u.uploadId(), 1000, 0);
                for (PartInfo p : parts.parts()) {
                    sum += blobRecordBytes(e.config(), p.size());
                }
            }
        }
        return sum;
    }

    /** Sum of live bytes over all segments. */
    /** Live bytes counted by the engine, once the reclaim of aborted uploads (a background step) has run. */
    public static long liveBytes(Engine e) {
        e.reclaimAbortedUploads();
        long sum = 0;
        for (Map.Entry<Long, SegmentSpace> s : e.space().entrySet()) {
            sum += s.getValue().liveBytes();
        }
        return sum;
    }
}
