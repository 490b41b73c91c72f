package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the channels that segments are written through, and tells how much room their file system has.
 * Production uses {@link #DEFAULT}; tests substitute channels that lose unsynced bytes or fail writes
 * and fsyncs on demand, and small disks.
 */
@FunctionalInterface
public interface SegmentIo {
    SegmentIo DEFAULT = path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);

    /** Creates a new segment file for reading and writing. */
    FileChannel create(Path path) throws IOException;

    /** The bytes the file system holding {@code dir} can still give this process. */
    default long usableSpace(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** The size of the file system holding {@code dir}. */
    default long totalSpace(Path dir) throws IOException {
        return Files.getFileStore(dir).getTotalSpace();
    }
}
