package io.tessera.engine.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the channels that segments are written through. Production uses {@link #DEFAULT}; tests
 * substitute channels that lose unsynced bytes or fail writes and fsyncs on demand.
 */
@FunctionalInterface
public interface SegmentIo {
    SegmentIo DEFAULT = path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);

    /** Creates a new segment file for reading and writing. */
    FileChannel create(Path path) throws IOException;
}
