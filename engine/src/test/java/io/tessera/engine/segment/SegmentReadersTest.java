package io.tessera.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentReadersTest {
    @TempDir
    Path dir;

    @Test
    void aRetiredSegmentIsNeverOpenedAgainAndItsFileGoesWithTheLastReader() throws Exception {
        Path file = SegmentFiles.path(dir, 7);
        Files.write(file, new byte[8192]);
        try (SegmentReaders readers = new SegmentReaders(dir)) {
            SegmentHandle early = readers.acquire(7);
            readers.retire(7); // deferred: a reader still holds it

            assertThatThrownBy(() -> readers.acquire(7)).isInstanceOf(NoSuchFileException.class);
            assertThat(Files.exists(file)).isTrue();

            early.release();
            assertThat(Files.exists(file)).isFalse();
            assertThat(openDescriptorsOn(file)).as("descriptors still open on the deleted file").isZero();
        }
    }

    @Test
    void segmentsNoReaderHoldsStayOpenOnlyUpToTheBound() throws Exception {
        int segments = SegmentReaders.DEFAULT_MAX_OPEN + 300;
        for (int id = 1; id <= segments; id++) {
            Files.write(SegmentFiles.path(dir, id), new byte[64]);
        }
        try (SegmentReaders readers = new SegmentReaders(dir)) {
            for (int id = 1; id <= segments; id++) {
                readers.acquire(id).release();
            }
            assertThat(openDescriptorsOn(dir)).as("descriptors open on segment files")
                    .isLessThanOrEqualTo(SegmentReaders.DEFAULT_MAX_OPEN);
        }
        assertThat(openDescriptorsOn(dir)).isZero();
    }

    @Test
    void closingIdleSegmentsSparesHeldOnesAndTheMostRecentlyRead() throws Exception {
        for (int id = 1; id <= 20; id++) {
            Files.write(SegmentFiles.path(dir, id), new byte[] {(byte) id});
        }
        try (SegmentReaders readers = new SegmentReaders(dir, 8)) {
            SegmentHandle held = readers.acquire(1);
            for (int id = 2; id <= 20; id++) {
                readers.acquire(id).release();
            }
            assertThat(readers.openCount()).isLessThanOrEqualTo(8);
            // the held segment still reads, although it was read first
            ByteBuffer b = ByteBuffer.allocate(1);
            assertThat(held.channel().read(b, 0)).isEqualTo(1);
            assertThat(b.get(0)).isEqualTo((byte) 1);
            held.release();
            // the last one read is still open; one closed meanwhile opens again and reads
            assertThat(openDescriptorsOn(SegmentFiles.path(dir, 20))).isEqualTo(1);
            assertThat(openDescriptorsOn(SegmentFiles.path(dir, 2))).isZero();
            SegmentHandle again = readers.acquire(2);
            b.clear();
            assertThat(again.channel().read(b, 0)).isEqualTo(1);
            assertThat(b.get(0)).isEqualTo((byte) 2);
            again.release();
            // retiring a segment that was closed deletes its file at once
            readers.retire(3);
            assertThat(Files.exists(SegmentFiles.path(dir, 3))).isFalse();
            assertThatThrownBy(() -> readers.acquire(3)).isInstanceOf(NoSuchFileException.class);
        }
    }

    private static long openDescriptorsOn(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(file.toString());
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }
}
