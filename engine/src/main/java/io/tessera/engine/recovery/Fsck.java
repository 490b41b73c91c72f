package io.tessera.engine.recovery;

import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.meta.BlobCodec;
import io.tessera.engine.meta.ColumnFamily;
import io.tessera.engine.meta.Keys;
import io.tessera.engine.meta.MetaCursor;
import io.tessera.engine.meta.MetaSnapshot;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.UploadState;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies the whole store against its invariants, on a consistent metadata snapshot (so it can
 * run on a live engine, with collection paused by the caller):
 *
 * <ul>
 *   <li>every blob row points at a record whose header names that blob and length, whose trailer is
 *       intact and (optionally) whose body blocks pass their CRCs;</li>
 *   <li>every blob has exactly one owner (a part row or one extent of one object) and every owner's
 *       blob exists;</li>
 *   <li>every segment's live-byte count equals the record lengths of the blobs located in it;</li>
 *   <li>parts belong to ACTIVE uploads only, and {@code upload_keys} lists exactly the ACTIVE uploads;</li>
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
            Map<Long, SegmentRecord> segments = new HashMap<>();
            try (MetaCursor c = view.scan(ColumnFamily.SEGMENTS, new byte[0], null)) {
                for (; c.valid(); c.next()) {
                    segments.put(Keys.getLong(c.key(), 0), SegmentRecord.decode(c.value()));
                }
            }
            Map<Long, Integer> owners = owners(view);
            Map<Long, Long> liveBySegment = new HashMap<>();
            long blobCount = 0;
            Map<Long, FileChannel> channels = new HashMap<>();
            try (MetaCursor c = view.scan(ColumnFamily.BLOBS, new byte[0], null)) {
                for (; c.valid(); c.next()) {
                    long blobId = Keys.getLong(c.key(), 0);
                    BlobLocation loc = BlobCodec.decode(c.value());
                    blobCount++;
                    liveBySegment.merge(loc.segmentId(), loc.recordLength(), Long::sum);
                    int n = owners.getOrDefault(blobId, 0);
                    if (n != 1) {
                        problems.add("blob " + blobId + " has " + n + " owners");
                    }
                    owners.remove(blobId);
                    if (!segments.containsKey(loc.segmentId())) {
                        problems.add("blob " + blobId + " points at segment " + loc.segmentId() + " which has no row");
                        continue;
                    }
                    checkRecord(channels, blobId, loc);
                }
            } finally {
                for (FileChannel ch : channels.values()) {
                    closeQuietly(ch);
                }
            }
            owners.forEach((blobId, n) -> problems.add("blob " + blobId + " is referenced " + n
                    + " time(s) but has no location"));
            long live = 0;
            for (Map.Entry<Long, SegmentRecord> e : segments.entrySet()) {
                long counted = view.liveBytes(e.getKey());
                long actual = liveBySegment.getOrDefault(e.getKey(), 0L);
                live += actual;
                if (counted != actual) {
                    problems.add("segment " + e.getKey() + " counts " + counted + " live bytes, its blobs hold " + actual);
                }
            }
            checkUploads(view);
            checkFiles(segments);
            return new FsckReport(List.copyOf(problems), List.copyOf(orphans), blobCount, segments.size(), live);
        }
    }

    /** Blob id → number of references from parts and object extents. */
    private Map<Long, Integer> owners(MetaSnapshot view) {
        Map<Long, Integer> owners = new HashMap<>();
        try (MetaCursor c = view.scan(ColumnFamily.PARTS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                owners.merge(PartRecord.decode(c.value()).blobId(), 1, Integer::sum);
            }
        }
        try (MetaCursor c = view.scan(ColumnFamily.OBJECTS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                for (ObjectRecord.Extent e : ObjectRecord.decode(c.value()).extents()) {
                    owners.merge(e.blobId(), 1, Integer::sum);
                }
            }
        }
        return owners;
    }

    private void checkRecord(Map<Long, FileChannel> channels, long blobId, BlobLocation loc) {
        try {
            FileChannel ch = channels.get(loc.segmentId());
            if (ch == null) {
                ch = FileChannel.open(SegmentFiles.path(blobs.directory(), loc.segmentId()), StandardOpenOption.READ);
                channels.put(loc.segmentId(), ch);
            }
            BlobReader.checkHeader(ch, blobId, loc);
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

    private void checkUploads(MetaSnapshot view) {
        try (MetaCursor c = view.scan(ColumnFamily.PARTS, new byte[0], null)) {
            byte[] lastUpload = null;
            for (; c.valid(); c.next()) {
                byte[] id = Arrays.copyOf(c.key(), 16);
                if (lastUpload != null && Arrays.equals(lastUpload, id)) {
                    continue;
                }
                lastUpload = id;
                byte[] row = view.get(ColumnFamily.UPLOADS, id);
                if (row == null || UploadRecord.decode(row).state() != UploadState.ACTIVE) {
                    problems.add("parts remain for upload " + Keys.hex(id) + " which is not active");
                }
            }
        }
        int listed = 0;
        try (MetaCursor c = view.scan(ColumnFamily.UPLOAD_KEYS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                byte[] k = c.key();
                byte[] id = Arrays.copyOfRange(k, k.length - 16, k.length);
                byte[] row = view.get(ColumnFamily.UPLOADS, id);
                if (row == null || UploadRecord.decode(row).state() != UploadState.ACTIVE) {
                    problems.add("upload " + Keys.hex(id) + " is listed but not active");
                }
                listed++;
            }
        }
        int active = 0;
        try (MetaCursor c = view.scan(ColumnFamily.UPLOADS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                if (UploadRecord.decode(c.value()).state() == UploadState.ACTIVE) {
                    active++;
                }
            }
        }
        if (active != listed) {
            problems.add(active + " active uploads but " + listed + " listed");
        }
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

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only
        }
    }
}
