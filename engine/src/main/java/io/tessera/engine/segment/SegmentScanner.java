package io.tessera.engine.segment;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.MappedBytes;

/**
 * Walks the records of one segment file the way recovery and compaction need it: header by header
 * through a read-only Chronicle mapping (each header validated; the first one that is not valid ends
 * the good prefix), trailers and bodies through positional reads. Only fixed-width reads are used on
 * the mapping.
 */
public final class SegmentScanner {
    private SegmentScanner() {
    }

    /** A record found by a scan; {@code intact} is false when its trailer or body CRCs fail. */
    public record ScannedRecord(RecordHeader header, long offset, long recordLength, boolean intact) {
        public BlobLocation location(long segmentId) {
            return new BlobLocation(segmentId, offset, header.bodyLength(), recordLength);
        }
    }

    /** The records of a segment and where its valid prefix ends. */
    public record ScanResult(List<ScannedRecord> records, long validEnd, long fileSize) {
    }

    /**
     * Scans {@code path} up to {@code limit} bytes (the file size when negative).
     *
     * @param verifyBodies also check every body block CRC (reads all data); otherwise only trailers
     */
    public static ScanResult scan(Path path, long limit, boolean verifyBodies) throws IOException {
        File file = path.toFile();
        long size = limit >= 0 ? Math.min(limit, file.length()) : file.length();
        List<ScannedRecord> out = new ArrayList<>();
        if (size < SegmentFiles.FILE_HEADER_SIZE) {
            return new ScanResult(out, size, size);
        }
        long pos = SegmentFiles.FILE_HEADER_SIZE;
        MappedBytes bytes = MappedBytes.readOnly(file);
        bytes.readLimit(size); // a fresh mapping of an existing file starts with read limit 0
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            byte[] headerBytes = new byte[RecordFormat.HEADER_SIZE];
            while (pos + RecordFormat.HEADER_SIZE <= size) {
                readHeader(bytes, pos, headerBytes);
                RecordHeader h = RecordHeader.decode(headerBytes);
                if (h == null) {
                    break;
                }
                long len = RecordFormat.recordLength(h.bodyLength());
                if (h.bodyLength() > size || pos + len > size) {
                    break; // a length that runs past the end: torn write
                }
                BlobLocation loc = new BlobLocation(0, pos, h.bodyLength(), len);
                boolean intact = BlobReader.trailerIntact(ch, loc);
                if (intact && verifyBodies) {
                    intact = bodyIntact(ch, loc, h.blobId());
                }
                out.add(new ScannedRecord(h, pos, len, intact));
                pos += len;
            }
        } finally {
            bytes.releaseLast();
        }
        return new ScanResult(out, pos, size);
    }

    /**
     * Copies a header out of the mapping with fixed-width reads only: bulk reads from a read-only
     * Chronicle mapping crashed the JVM in our probes (see DEPENDENCIES.md).
     */
    private static void readHeader(MappedBytes bytes, long pos, byte[] out) {
        for (int i = 0; i < RecordFormat.HEADER_SIZE; i += 8) {
            long v = bytes.readLong(pos + i); // native order: little-endian, as the format
            for (int k = 0; k < 8; k++) {
                out[i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    private static boolean bodyIntact(FileChannel ch, BlobLocation loc, long blobId) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(RecordFormat.BLOCK_SIZE);
        long blocks = RecordFormat.blockCount(loc.bodyLength());
        for (long i = 0; i < blocks; i++) {
            long from = i << RecordFormat.BLOCK_SHIFT;
            buf.clear().limit((int) Math.min(RecordFormat.BLOCK_SIZE, loc.bodyLength() - from));
            try {
                BlobReader.readVerified(ch, blobId, loc, i, buf);
            } catch (BlobReader.CorruptRecordException e) {
                return false;
            }
        }
        return true;
    }
}
