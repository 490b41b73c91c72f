package io.tessera.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The exclusive {@code LOCK} of a data directory: a second engine on the same directory refuses to open. */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            FileChannel ch = FileChannel.open(dataDir.resolve("LOCK"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw new EngineException(ErrorCode.IO_ERROR,
                        "data directory " + dataDir + " is in use by another Tessera node");
            }
            return new DataDirLock(ch, lock);
        } catch (IOException e) {
            throw EngineException.io("cannot lock data directory " + dataDir, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock dies with the channel anyway
        }
    }
}
