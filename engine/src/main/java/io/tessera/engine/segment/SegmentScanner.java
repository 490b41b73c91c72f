package io.tessera.engine.segment;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.MappedBytes;

/**
 * Walks the records of one segment file through a read-only Chronicle mapping, the way recovery,
 * compaction and fsck need it: header by header, each validated, stopping at the first header that
 * is not valid (the end of the good prefix). Only fixed-width reads are used on the mapping.
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
        try (FileChannel ch = verifyBodies ? FileChannel.open(path, StandardOpenOption.READ) : null) {
            byte[] headerBytes = new byte[RecordFormat.HEADER_SIZE];
            while (pos + RecordFormat.HEADER_SIZE <= size) {
                bytes.read(pos, headerBytes, 0, RecordFormat.HEADER_SIZE);
                RecordHeader h = RecordHeader.decode(headerBytes);
                if (h == null) {
                    break;
                }
                long len = RecordFormat.recordLength(h.bodyLength());
                if (h.bodyLength() > size || pos + len > size) {
                    break; // a length that runs past the end: torn write
                }
                boolean intact = trailerIntact(bytes, pos, h.bodyLength());
                if (intact && verifyBodies) {
                    intact = bodyIntact(ch, new BlobLocation(0, pos, h.bodyLength(), len), h.blobId());
                }
                out.add(new ScannedRecord(h, pos, len, intact));
                pos += len;
            }
        } finally {
            bytes.releaseLast();
        }
        return new ScanResult(out, pos, size);
    }

    private static boolean trailerIntact(MappedBytes bytes, long offset, long bodyLength) {
        long trailer = offset + RecordFormat.HEADER_SIZE + bodyLength;
        int len = (int) RecordFormat.trailerLength(bodyLength);
        byte[] t = new byte[len];
        bytes.read(trailer, t, 0, len);
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(t, 0, len - 4);
        return b.getInt(len - 8) == RecordFormat.TRAILER_MAGIC && b.getInt(len - 4) == (int) crc.getValue();
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
