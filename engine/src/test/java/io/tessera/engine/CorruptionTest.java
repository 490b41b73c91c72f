package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.segment.RecordFormat;
import io.tessera.engine.segment.SegmentFiles;
import io.tessera.engine.testkit.TestEngines;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flipped bytes in a segment are detected on read: an error, never wrong data. */
class CorruptionTest {
    private static final int SIZE = 1_000_000;

    @TempDir
    Path dir;

    /** Writes one object into a fresh engine; its record is the first of segment 1. */
    private byte[] setUp() {
        byte[] body = TestEngines.bytes(7, SIZE);
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            TestEngines.put(e, "b", "k", body);
        }
        return body;
    }

    private void flip(long offset) throws IOException {
        Path seg = SegmentFiles.path(dir.resolve("segments"), 1);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5a);
        }
    }

    private static long bodyStart() {
        return SegmentFiles.FILE_HEADER_SIZE + RecordFormat.HEADER_SIZE;
    }

    @Test
    void flippedBodyByteFailsTheReadOfItsBlockOnly() throws IOException {
        byte[] body = setUp();
        long inThirdBlock = 2L * RecordFormat.BLOCK_SIZE + 12_345;
        flip(bodyStart() + inThirdBlock);
        try (Engine e = TestEngines.open(dir)) {
            assertThatThrownBy(() -> TestEngines.read(e, "b", "k"))
                    .hasRootCauseInstanceOf(io.tessera.engine.segment.BlobReader.CorruptRecordException.class);
            // Ranges in intact blocks still read, exactly.
            assertThat(TestEngines.read(e, "b", "k", ReadRange.bytes(0, 999)))
                    .isEqualTo(Arrays.copyOfRange(body, 0, 1000));
            // The zero-copy path verifies too.
            try (ObjectContent c = e.getObject("b", "k", ReadRange.ALL)) {
                Iterator<FileSlice> it = c.slices();
                assertThatThrownBy(() -> {
                    while (it.hasNext()) {
                        it.next();
                    }
                }).isInstanceOfSatisfying(EngineException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CORRUPTION));
            }
        }
    }

    @Test
    void flippedHeaderByteFailsTheOpen() throws IOException {
        setUp();
        flip(SegmentFiles.FILE_HEADER_SIZE + 17); // inside bodyLength
        try (Engine e = TestEngines.open(dir)) {
            assertThatThrownBy(() -> e.getObject("b", "k", ReadRange.ALL))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CORRUPTION));
        }
    }

    @Test
    void flippedTrailerCrcFailsTheRead() throws IOException {
        setUp();
        flip(bodyStart() + SIZE + 1); // first block CRC in the trailer
        try (Engine e = TestEngines.open(dir)) {
            assertThatThrownBy(() -> {
                try (ObjectContent c = e.getObject("b", "k", ReadRange.bytes(0, 10)); InputStream in = c.stream()) {
                    in.readAllBytes();
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("CRC mismatch");
        }
    }

    @Test
    void intactDataReadsBackThroughSlices() throws IOException {
        byte[] body = setUp();
        try (Engine e = TestEngines.open(dir); ObjectContent c = e.getObject("b", "k", ReadRange.bytes(5, SIZE - 6))) {
            ByteBuffer out = ByteBuffer.allocate((int) c.length());
            for (Iterator<FileSlice> it = c.slices(); it.hasNext();) {
                FileSlice s = it.next();
                ByteBuffer part = ByteBuffer.allocate((int) s.length());
                s.channel().read(part, s.position());
                out.put(part.flip());
            }
            assertThat(out.array()).isEqualTo(Arrays.copyOfRange(body, 5, SIZE - 5));
        }
    }
}
