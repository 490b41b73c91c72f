package io.tessera.engine.recovery;

import io.tessera.engine.FsckReport;
import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.meta.MetaSnapshot;
import io.tessera.engine.meta.MetaTables;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.UploadState;
import io.tessera.engine.meta.UsageTable;
import io.tessera.engine.meta.BucketRecord;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.segment.SegmentFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies the whole store against its invariants, on a consistent metadata snapshot (so it can
 * run on a live engine, with collection paused by the caller):
 *
 * <ul>
 *   <li>every piece of every blob row points at a record whose header names that blob, that piece's
 *       offset in it and its length, whose trailer is intact and (optionally) whose body blocks pass
 *       their CRCs; the pieces' lengths add up to the size the blob's owner gives it;</li>
 *   <li>every blob has exactly one owner (a part row or one extent of one object), or none while it is
 *       pending (held for a command not applied yet), and every owner's blob exists;</li>
 *   <li>every segment's live-byte count equals the record lengths of the pieces located in it;</li>
 *   <li>parts belong to ACTIVE uploads (or aborted ones awaiting reclaim), the upload listing holds
 *       exactly the ACTIVE uploads and the age index every tombstone;</li>
 *   <li>segment files and rows agree (files without a row are reported as orphans).</li>
 * </ul>
 */
public final class Fsck {
    private final BlobStore blobs;
    private final boolean verifyBodies;
    private final List<String> problems = new ArrayList<>();
    private final List<String> orphans = new ArrayList<>();

    private Fsck(BlobStore blobs, boolean verifyBodies) {
        this.blobs = blobs;
        this.verifyBodies = verifyBodies;
    }

    public static FsckReport run(BlobStore blobs, boolean verifyBodies) {
        return new Fsck(blobs, verifyBodies).check();
    }

    private FsckReport check() {
        try (MetaSnapshot view = blobs.meta().snapshot()) {
            MetaTables t = view.tables();
            Map<Long, SegmentRecord> segments = t.segments().all();
            Map<Long, Integer> owners = new HashMap<>();
            Map<Long, Long> sizes = new HashMap<>();
            owners(t, owners, sizes);
            Set<Long> pending = new HashSet<>();
            t.blobs().forEachPending((blobId, receivedMillis) -> pending.add(blobId));
            Map<Long, Long> liveBySegment = new HashMap<>();
            long[] blobCount = {0};
            Map<Long, FileChannel> channels = new OpenSegments();
            try {
                t.blobs().forEach((blobId, blob) -> {
                    blobCount[0]++;
                    blob.recordBytesBySegment().forEach((segment, bytes) ->
                            liveBySegment.merge(segment, bytes, Long::sum));
                    int n = owners.getOrDefault(blobId, 0);
                    boolean held = pending.remove(blobId);
                    if (held && n != 0) {
                        problems.add("blob " + blobId + " is pending but has " + n + " owner(s)");
                    } else if (!held && n != 1) {
                        problems.add("blob " + blobId + " has " + n + " owners");
                    }
                    owners.remove(blobId);
                    Long size = sizes.get(blobId);
                    if (size != null && size != blob.length()) {
                        problems.add("blob " + blobId + " has pieces of " + blob.length() + " bytes, its owner says "
                                + size);
                    }
                    for (int i = 0; i < blob.count(); i++) {
                        BlobLocation loc = blob.piece(i);
                        if (!segments.containsKey(loc.segmentId())) {
                            problems.add("blob " + blobId + " points at segment " + loc.segmentId()
                                    + " which has no row");
                            continue;
                        }
                        checkRecord(channels, blobId, blob.start(i), loc);
                    }
                });
            } finally {
                for (FileChannel ch : channels.values()) {
                    closeQuietly(ch);
                }
            }
            owners.forEach((blobId, n) -> problems.add("blob " + blobId + " is referenced " + n
                    + " time(s) but has no location"));
            pending.forEach(blobId -> problems.add("blob " + blobId + " is pending but has no location"));
            long live = 0;
            for (Map.Entry<Long, SegmentRecord> e : segments.entrySet()) {
                long counted = t.blobs().liveBytes(e.getKey());
                long actual = liveBySegment.getOrDefault(e.getKey(), 0L);
                live += actual;
                if (counted != actual) {
                    problems.add("segment " + e.getKey() + " counts " + counted + " live bytes, its blobs hold " + actual);
                }
            }
            checkUploads(t);
            checkVersions(t);
            checkUsage(t);
            checkFiles(segments);
            return new FsckReport(List.copyOf(problems), List.copyOf(orphans), blobCount[0], segments.size(), live);
        }
    }

    /** Blob id → number of references from parts and object extents, and the size they give the blob. */
    private void owners(MetaTables t, Map<Long, Integer> owners, Map<Long, Long> sizes) {
        t.parts().forEach((uploadId, part) -> {
            owners.merge(part.blobId(), 1, Integer::sum);
            sizes.put(part.blobId(), part.size());
        });
        t.objects().forEach((bucketId, key, row) -> {
            for (ObjectRecord.Extent e : row.extents()) {
                owners.merge(e.blobId(), 1, Integer::sum);
                sizes.put(e.blobId(), e.size());
            }
        });
        t.versions().forEach((bucketId, key, row) -> {
            for (ObjectRecord.Extent e : row.extents()) {
                owners.merge(e.blobId(), 1, Integer::sum);
                sizes.put(e.blobId(), e.size());
            }
        });
    }

    private void checkRecord(Map<Long, FileChannel> channels, long blobId, long blobOffset, BlobLocation loc) {
        try {
            FileChannel ch = channels.get(loc.segmentId());
            if (ch == null) {
                ch = FileChannel.open(SegmentFiles.path(blobs.directory(), loc.segmentId()), StandardOpenOption.READ);
                channels.put(loc.segmentId(), ch);
            }
            BlobReader.checkHeader(ch, blobId, blobOffset, loc);
            if (RecordFormat.recordLength(loc.bodyLength()) != loc.recordLength()) {
                problems.add("blob " + blobId + " has a record length that does not match its body length");
            }
            if (!BlobReader.trailerIntact(ch, loc)) {
                problems.add("blob " + blobId + " has a damaged trailer");
                return;
            }
            if (verifyBodies) {
                ByteBuffer buf = ByteBuffer.allocate(RecordFormat.BLOCK_SIZE);
                for (long i = 0; i < RecordFormat.blockCount(loc.bodyLength()); i++) {
                    long from = i << RecordFormat.BLOCK_SHIFT;
                    buf.clear().limit((int) Math.min(RecordFormat.BLOCK_SIZE, loc.bodyLength() - from));
                    BlobReader.readVerified(ch, blobId, loc, i, buf);
                }
            }
        } catch (NoSuchFileException e) {
            problems.add("blob " + blobId + " points at segment " + loc.segmentId() + " whose file is missing");
        } catch (IOException e) {
            problems.add("blob " + blobId + ": " + e.getMessage());
        }
    }

    /**
     * Parts belong to ACTIVE uploads, or to aborted ones awaiting reclaim; the listing holds exactly
     * the ACTIVE uploads; the age index holds exactly the tombstones.
     */
    private void checkUploads(MetaTables t) {
        Set<String> partOwners = new HashSet<>();
        t.parts().forEach((uploadId, part) -> partOwners.add(HexFormat.of().formatHex(uploadId)));
        Map<String, UploadRecord> rows = new HashMap<>();
        t.uploads().forEach((id, row) -> rows.put(HexFormat.of().formatHex(id), row));
        for (String id : partOwners) {
            UploadRecord row = rows.get(id);
            boolean ok = row != null && (row.state() == UploadState.ACTIVE
                    || (row.state() == UploadState.ABORTED && t.uploads().awaitsReclaim(HexFormat.of().parseHex(id))));
            if (!ok) {
                problems.add("parts remain for upload " + id + " which is not active");
            }
        }
        Set<String> listed = new HashSet<>();
        t.uploads().forEachListed(id -> listed.add(HexFormat.of().formatHex(id)));
        Set<String> indexed = new HashSet<>();
        t.uploads().forEachIndexedTombstone(id -> indexed.add(HexFormat.of().formatHex(id)));
        rows.forEach((id, row) -> {
            boolean active = row.state() == UploadState.ACTIVE;
            if (active != listed.contains(id)) {
                problems.add("upload " + id + (active ? " is active but not listed" : " is listed but not active"));
            }
            if (!active && !indexed.contains(id)) {
                problems.add("tombstone of upload " + id + " is missing from the age index");
            }
        });
        listed.removeAll(rows.keySet());
        listed.forEach(id -> problems.add("upload " + id + " is listed but has no row"));
    }

    /**
     * Versions keep their places: a current object is newer than the key's stored versions and is no
     * delete marker, and a key without a current object shows a delete marker (its newest stored
     * version) or nothing.
     */
    private void checkVersions(MetaTables t) {
        String[] lastKey = {null};
        long[] lastBucket = {-1};
        t.versions().forEach((bucketId, key, row) -> {
            boolean newest = bucketId != lastBucket[0] || !key.equals(lastKey[0]);
            lastBucket[0] = bucketId;
            lastKey[0] = key;
            if (!newest) {
                return;
            }
            ObjectRecord current = t.objects().get(bucketId, key);
            if (current == null && !row.deleteMarker()) {
                problems.add("key " + key + " of bucket " + bucketId + " has stored versions but its newest, an"
                        + " object, is not current");
            }
            if (current != null && current.stamp() != 0 && current.stamp() < row.stamp()) {
                problems.add("key " + key + " of bucket " + bucketId + " has a stored version newer than its current");
            }
        });
        t.objects().forEach((bucketId, key, row) -> {
            if (row.deleteMarker()) {
                problems.add("key " + key + " of bucket " + bucketId + " has a delete marker as its current object");
            }
        });
    }

    /** Every bucket's usage counters equal what its rows hold. */
    private void checkUsage(MetaTables t) {
        Map<Long, long[]> actual = new HashMap<>();
        for (BucketRecord b : t.buckets().list()) {
            actual.put(b.id(), new long[4]);
        }
        t.objects().forEach((bucketId, key, row) -> {
            long[] u = actual.computeIfAbsent(bucketId, id -> new long[4]);
            u[0]++;
            u[1] += row.size();
        });
        t.versions().forEach((bucketId, key, row) -> {
            if (!row.deleteMarker()) {
                long[] u = actual.computeIfAbsent(bucketId, id -> new long[4]);
                u[0]++;
                u[1] += row.size();
            }
        });
        Map<String, Long> bucketOfUpload = new HashMap<>();
        t.uploads().forEach((id, row) -> {
            bucketOfUpload.put(HexFormat.of().formatHex(id), row.bucketId());
            if (row.state() == UploadState.ACTIVE) {
                actual.computeIfAbsent(row.bucketId(), b -> new long[4])[2]++;
            }
        });
        t.parts().forEach((id, part) -> {
            Long bucketId = bucketOfUpload.get(HexFormat.of().formatHex(id));
            if (bucketId != null) {
                actual.computeIfAbsent(bucketId, b -> new long[4])[3] += part.size();
            }
        });
        actual.forEach((bucketId, u) -> {
            UsageTable.Usage counted = t.usage().get(bucketId);
            UsageTable.Usage real = new UsageTable.Usage(u[0], u[1], u[2], u[3]);
            if (!counted.equals(real)) {
                problems.add("bucket " + bucketId + " counts " + counted + ", its rows hold " + real);
            }
        });
    }

    private void checkFiles(Map<Long, SegmentRecord> segments) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(blobs.directory())) {
            for (Path p : ds) {
                long id = SegmentFiles.parseId(p.getFileName().toString());
                if (id < 0 || !segments.containsKey(id)) {
                    orphans.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            problems.add("cannot list " + blobs.directory() + ": " + e.getMessage());
        }
        for (Map.Entry<Long, SegmentRecord> e : segments.entrySet()) {
            // an ACTIVE row briefly precedes its file (row first, then file)
            boolean expected = e.getValue().state() == SegmentRecord.SegmentState.SEALED;
            if (expected && !Files.exists(SegmentFiles.path(blobs.directory(), e.getKey()))) {
                problems.add("segment " + e.getKey() + " has a row but no file");
            }
        }
    }

    /**
     * The segment files the scan has open, the least recently used closed past {@link #MAX_OPEN}: blobs
     * come in id order, not segment order, and a store of many segments would otherwise run the
     * process out of descriptors.
     */
    private static final class OpenSegments extends LinkedHashMap<Long, FileChannel> {
        private static final long serialVersionUID = 1L;
        private static final int MAX_OPEN = 256;

        OpenSegments() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, FileChannel> eldest) {
            if (size() <= MAX_OPEN) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only
        }
    }
}
