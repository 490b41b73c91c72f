package io.tessera.engine.recovery;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.blob.SegmentCatalog;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.SegmentRecord;
import io.tessera.engine.segment.Fsync;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentScanner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings segment files and segment rows back into agreement when the engine opens; every step is
 * idempotent, so a crash during recovery is recovered by the next open. No segment is replayed into
 * RocksDB: a blob exists iff its row was committed, and rows only ever point at synced bytes.
 *
 * <ol>
 *   <li>Files that are not segments, and segment files without a row (left by a deletion that a
 *       crash interrupted), are deleted.</li>
 *   <li>A row without a file is dropped if it held nothing; if it still counts live bytes the
 *       data is lost and opening fails loudly.</li>
 *   <li>A segment left ACTIVE by a crash is scanned; it is cut at the first record whose header is
 *       not valid (a torn tail) and sealed, never to be appended to again.</li>
 * </ol>
 */
public final class SegmentRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentRecovery.class);

    private SegmentRecovery() {
    }

    /** What recovery did. */
    public record Report(int orphanFilesDeleted, int rowsDropped, int segmentsSealed, long bytesTruncated) {
    }

    public static Report run(MetaStore meta, SegmentCatalog catalog, Path dir) {
        try {
            Map<Long, SegmentRecord> rows = catalog.all();
            Set<Long> files = new HashSet<>();
            int orphans = 0;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    long id = SegmentFiles.parseId(p.getFileName().toString());
                    if (id >= 0 && rows.containsKey(id)) {
                        files.add(id);
                    } else {
                        Files.deleteIfExists(p);
                        orphans++;
                    }
                }
            }
            int dropped = 0;
            int sealed = 0;
            long truncated = 0;
            for (Map.Entry<Long, SegmentRecord> e : rows.entrySet()) {
                long id = e.getKey();
                if (!files.contains(id)) {
                    if (meta.tables().blobs().liveBytes(id) != 0) {
                        throw new EngineException(ErrorCode.CORRUPTION, "segment " + id
                                + " holds live data but its file is missing from " + dir);
                    }
                    catalog.removeEmpty(id);
                    dropped++;
                } else if (e.getValue().state() == SegmentRecord.SegmentState.ACTIVE) {
                    if (hasValidHeader(dir, id)) {
                        truncated += sealAfterCrash(catalog, dir, id);
                        sealed++;
                    } else if (meta.tables().blobs().liveBytes(id) == 0) {
                        // its header never became durable, so no record in it ever did
                        Files.deleteIfExists(SegmentFiles.path(dir, id));
                        catalog.removeEmpty(id);
                        dropped++;
                    } else {
                        throw new EngineException(ErrorCode.CORRUPTION, "segment " + id
                                + " holds live data but its file header is damaged");
                    }
                }
            }
            if (orphans + dropped > 0) {
                Fsync.directory(dir);
            }
            Report r = new Report(orphans, dropped, sealed, truncated);
            if (orphans + dropped + sealed > 0) {
                LOG.info("segment recovery: {}", r);
            }
            return r;
        } catch (IOException e) {
            throw EngineException.io("segment recovery in " + dir, e);
        }
    }

    private static boolean hasValidHeader(Path dir, long id) throws IOException {
        try (FileChannel ch = FileChannel.open(SegmentFiles.path(dir, id), StandardOpenOption.READ)) {
            return SegmentFiles.readHeader(ch) == id;
        }
    }

    /** Cuts a crashed active segment after its last valid record and seals it; returns bytes cut. */
    private static long sealAfterCrash(SegmentCatalog catalog, Path dir, long id) throws IOException {
        Path path = SegmentFiles.path(dir, id);
        SegmentScanner.ScanResult scan = SegmentScanner.scan(path, -1, false);
        long keep = Math.max(scan.validEnd(), SegmentFiles.FILE_HEADER_SIZE);
        long cut = scan.fileSize() - keep;
        if (cut > 0) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(keep);
                ch.force(true);
            }
        }
        catalog.sealed(id, keep);
        return cut;
    }
}
