package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static io.tessera.engine.testkit.TestEngines.sized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.checksum.Hasher;
import io.tessera.engine.object.Etags;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobReader;
import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.segment.SegmentScanner;
import io.tessera.engine.testkit.FaultyIo;
import io.tessera.engine.testkit.TestEngines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs of many pieces (64 KiB pieces, bodies of 1 MiB and a few odd bytes, segments of 512 KiB so that a
 * blob spans several and a segment holds several pieces of one blob): every read path, multipart, copies,
 * compaction, reopen and a disk that fills up half-way through a body.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PiecedBlobsTest {
    private static final int PIECE = 64 << 10;
    private static final int BODY = (1 << 20) + 13;

    @TempDir
    Path dir;

    private EngineConfig config() {
        return TestEngines.config(dir).withPieceSize(PIECE).withSegmentSize(512L << 10);
    }

    private static void assertConsistent(Engine e) {
        FsckReport report = e.fsck(true);
        assertThat(report.problems()).isEmpty();
        assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
    }

    private static void assertNoGarbageInSealedSegments(Engine e) {
        for (SegmentSpace s : e.space().values()) {
            assertThat(s.active() || s.deadBytes() == 0).as("garbage left in %s", s).isTrue();
        }
    }

    private static byte[] slicesOf(Engine e, String key, ReadRange range) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectContent c = e.getObject("b", key, range)) {
            Iterator<FileSlice> it = c.slices();
            while (it.hasNext()) {
                FileSlice s = it.next();
                ByteBuffer buf = ByteBuffer.allocate((int) s.length());
                while (buf.hasRemaining()) {
                    if (s.channel().read(buf, s.position() + buf.position()) < 0) {
                        throw new IOException("slice runs past its file");
                    }
                }
                out.write(buf.array());
            }
        }
        return out.toByteArray();
    }

    /** Whole, in ranges that start, end and cross anywhere near piece boundaries, as a stream and as slices. */
    private static void assertReadsBack(Engine e, String key, byte[] body) throws IOException {
        assertThat(TestEngines.read(e, "b", key)).isEqualTo(body);
        assertThat(slicesOf(e, key, ReadRange.ALL)).isEqualTo(body);
        List<long[]> ranges = new ArrayList<>(List.of(
                new long[] {0, PIECE - 1}, new long[] {PIECE - 1, PIECE}, new long[] {PIECE, 2L * PIECE - 1},
                new long[] {PIECE - 10, 3L * PIECE + 10}, new long[] {body.length - 1, body.length - 1},
                new long[] {0, body.length - 1}, new long[] {5, body.length - 6}));
        Random random = new Random(key.hashCode());
        for (int i = 0; i < 20; i++) {
            long first = random.nextInt(body.length);
            ranges.add(new long[] {first, first + random.nextInt(3 * PIECE)});
        }
        for (long[] r : ranges) {
            byte[] expected = Arrays.copyOfRange(body, (int) r[0], (int) Math.min(r[1] + 1, body.length));
            ReadRange range = ReadRange.bytes(r[0], r[1]);
            assertThat(TestEngines.read(e, "b", key, range)).as("%s stream %d-%d", key, r[0], r[1]).isEqualTo(expected);
            assertThat(slicesOf(e, key, range)).as("%s slices %d-%d", key, r[0], r[1]).isEqualTo(expected);
        }
    }

    @Test
    void aBodyOfManyPiecesIsHashedWholeAndReadsBackEveryWay() throws Exception {
        byte[] body = TestEngines.bytes(1, BODY);
        try (Engine e = Engine.open(config())) {
            e.createBucket("b", OWNER);
            ObjectInfo info;
            try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", "k", sized(BODY).withChecksum(ChecksumAlgorithm.CRC32C))) {
                for (int at = 0; at < BODY; at += 10_007) { // buffers that straddle piece boundaries
                    w.write(ByteBuffer.wrap(body, at, Math.min(10_007, BODY - at)));
                }
                info = w.commit(BodyExpectations.NONE);
            }
            assertThat(info.etag()).isEqualTo(Etags.of(Etags.md5().digest(body)));
            Hasher crc = ChecksumAlgorithm.CRC32C.newHasher();
            crc.update(ByteBuffer.wrap(body));
            assertThat(info.checksum().base64()).isEqualTo(Base64.getEncoder().encodeToString(crc.digest()));
            assertThat(TestEngines.liveBytes(e)).as("17 records")
                    .isEqualTo(16 * RecordFormat.recordLength(PIECE) + RecordFormat.recordLength(13));
            assertReadsBack(e, "k", body);
            assertConsistent(e);
        }
        assertRecordsDescribeTheirPieces(body);
    }

    /**
     * Every record in the segments is a piece of the one object: its header names where it starts in the
     * blob, the pieces follow each other, and each trailer's MD5 is the blob's from its start to the piece's end.
     */
    private void assertRecordsDescribeTheirPieces(byte[] body) throws Exception {
        List<long[]> pieces = new ArrayList<>(); // blob offset, body length
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve("segments"))) {
            for (Path f : files) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    for (SegmentScanner.ScannedRecord r : SegmentScanner.scan(f, -1, true).records()) {
                        assertThat(r.intact()).isTrue();
                        long at = r.header().blobOffset();
                        long len = r.header().bodyLength();
                        MessageDigest md5 = Etags.md5();
                        md5.update(body, 0, (int) (at + len));
                        BlobLocation loc = r.location(SegmentFiles.parseId(f.getFileName().toString()));
                        assertThat(BlobReader.trailerMd5(ch, loc)).as("MD5 up to %d", at + len).isEqualTo(md5.digest());
                        pieces.add(new long[] {at, len});
                    }
                }
            }
        }
        pieces.sort(Comparator.comparingLong(p -> p[0]));
        long next = 0;
        for (long[] p : pieces) {
            assertThat(p[0]).isEqualTo(next);
            next += p[1];
        }
        assertThat(next).isEqualTo(body.length);
        assertThat(pieces).hasSize(17);
    }

    @Test
    void multipartUploadsOfManyPiecePartsCompleteAndReadByPartCopiesCompactionAndReopen() throws Exception {
        Map<String, byte[]> expected = new LinkedHashMap<>();
        byte[][] parts = {TestEngines.bytes(10, BODY), TestEngines.bytes(11, 3 * PIECE), TestEngines.bytes(12, 5000)};
        try (Engine e = Engine.open(config())) {
            e.createBucket("b", OWNER);
            String up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            List<CompletedPart> listed = new ArrayList<>();
            for (int i = 0; i < parts.length; i++) {
                PartInfo p = TestEngines.part(e, "b", "mp", up, i + 1, parts[i]);
                listed.add(new CompletedPart(i + 1, p.etag(), null));
            }
            // a part re-uploaded: the pieces of the first one become garbage
            listed.set(0, new CompletedPart(1, TestEngines.part(e, "b", "mp", up, 1, parts[0]).etag(), null));
            e.completeUpload("b", "mp", up, listed, CompleteOptions.NONE);
            ByteBuffer whole = ByteBuffer.allocate(BODY + 3 * PIECE + 5000);
            for (byte[] p : parts) {
                whole.put(p);
            }
            expected.put("mp", whole.array());
            assertReadsBack(e, "mp", whole.array());
            for (int i = 0; i < parts.length; i++) {
                assertThat(TestEngines.read(e, "b", "mp", ReadRange.part(i + 1))).as("part %d", i + 1)
                        .isEqualTo(parts[i]);
            }

            // copies of a many-piece object, whole and a range across pieces and parts
            e.copyObject("b", "mp", "b", "copy", sized(-1));
            expected.put("copy", whole.array());
            String up2 = e.createUpload("b", "mp2", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            long from = BODY - PIECE - 7;
            long to = BODY + 2L * PIECE + 3;
            PartInfo copied = e.uploadPartCopy("b", "mp", ReadRange.bytes(from, to), "b", "mp2", up2, 1);
            PartInfo second = TestEngines.part(e, "b", "mp2", up2, 2, parts[2]);
            e.completeUpload("b", "mp2", up2, List.of(new CompletedPart(1, copied.etag(), null),
                    new CompletedPart(2, second.etag(), null)), CompleteOptions.NONE);
            ByteBuffer mp2 = ByteBuffer.allocate((int) (to - from + 1) + parts[2].length);
            mp2.put(whole.array(), (int) from, (int) (to - from + 1)).put(parts[2]);
            expected.put("mp2", mp2.array());

            // garbage in every segment, then a full collection moves the pieces still live
            for (int i = 0; i < 4; i++) {
                byte[] body = TestEngines.bytes(20 + i, BODY);
                TestEngines.put(e, "b", "tmp" + i, body);
                if (i % 2 == 0) {
                    e.deleteObject("b", "tmp" + i);
                } else {
                    expected.put("tmp" + i, body);
                }
            }
            assertConsistent(e);
            GcReport gc = e.collectGarbage();
            assertThat(gc.bytesCopied()).as("pieces were moved").isPositive();
            assertNoGarbageInSealedSegments(e);
            for (Map.Entry<String, byte[]> x : expected.entrySet()) {
                assertReadsBack(e, x.getKey(), x.getValue());
            }
            assertConsistent(e);
        }
        try (Engine e = Engine.open(config())) {
            for (Map.Entry<String, byte[]> x : expected.entrySet()) {
                assertThat(TestEngines.read(e, "b", x.getKey())).as(x.getKey()).isEqualTo(x.getValue());
            }
            assertThat(TestEngines.read(e, "b", "mp", ReadRange.part(2))).isEqualTo(parts[1]);
            e.collectGarbage();
            assertNoGarbageInSealedSegments(e);
            assertConsistent(e);
        }
    }

    /**
     * A body half-written when a collection runs: its pieces' segment is sealed and counts no live byte, yet
     * stays, since its pieces are pending; it is committed afterwards and reads back. One abandoned half-way
     * leaves only garbage, which the next collection takes.
     */
    @Test
    void collectionLeavesPendingPiecesAloneAndTakesAbandonedOnes() throws Exception {
        try (Engine e = Engine.open(config())) {
            e.createBucket("b", OWNER);
            byte[] body = TestEngines.bytes(30, BODY);
            byte[] dropped = TestEngines.bytes(31, BODY);
            try (BodyWriter<ObjectInfo> kept = e.beginPutObject("b", "kept", sized(BODY));
                 BodyWriter<ObjectInfo> abandoned = e.beginPutObject("b", "abandoned", sized(BODY))) {
                kept.write(ByteBuffer.wrap(body, 0, 6 * PIECE + 1));
                abandoned.write(ByteBuffer.wrap(dropped, 0, 6 * PIECE + 1));
                e.collectGarbage(); // seals the idle lanes' segments: they hold only pending pieces
                for (SegmentSpace s : e.space().values()) {
                    assertThat(s.liveBytes()).isZero();
                }
                assertThat(e.space().values()).anyMatch(s -> !s.active() && s.size() > SegmentSpace.HEADER_SIZE);
                abandoned.close();
                kept.write(ByteBuffer.wrap(body, 6 * PIECE + 1, BODY - 6 * PIECE - 1));
                kept.commit(BodyExpectations.NONE);
            }
            assertReadsBack(e, "kept", body);
            assertConsistent(e);
            e.collectGarbage();
            assertNoGarbageInSealedSegments(e);
            assertThatThrownBy(() -> e.headObject("b", "abandoned")).isInstanceOf(EngineException.class);
            assertReadsBack(e, "kept", body);
            assertConsistent(e);
        }
    }

    /** A disk that fills half-way through a body: that append is STORAGE_FULL and cut off, nothing else is hurt. */
    @Test
    void aPieceThatMeetsAFullDiskIsCutOffAndWritesResumeWithSpace() throws Exception {
        FaultyIo io = new FaultyIo();
        try (Engine e = Engine.open(config().withSegmentIo(io).withMinFreeSpace(0))) {
            e.createBucket("b", OWNER);
            byte[] first = TestEngines.bytes(40, BODY);
            TestEngines.put(e, "b", "first", first);
            byte[] body = TestEngines.bytes(41, BODY);
            try (BodyWriter<ObjectInfo> w = e.beginPutObject("b", "second", sized(BODY))) {
                w.write(ByteBuffer.wrap(body, 0, 2 * PIECE + 1)); // two pieces appended
                io.capacity(io.usedBytes() + PIECE / 2); // the third does not fit
                assertThatThrownBy(() -> w.write(ByteBuffer.wrap(body, 2 * PIECE + 1, PIECE)))
                        .isInstanceOfSatisfying(EngineException.class,
                                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.STORAGE_FULL));
            }
            assertThat(TestEngines.read(e, "b", "first")).isEqualTo(first);
            assertConsistent(e);

            io.capacity(Long.MAX_VALUE);
            TestEngines.put(e, "b", "second", body);
            assertReadsBack(e, "second", body);
            e.collectGarbage();
            assertNoGarbageInSealedSegments(e);
            assertConsistent(e);
        }
    }
}
