package io.tessera.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
