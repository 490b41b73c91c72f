package io.tessera.bench.segment;

import io.tessera.engine.segment.Fsync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.SyncMode;

/**
 * The two candidate data paths for body bytes, appending to segment files of a fixed size limit the
 * way the engine's write lanes do: a new segment is created (and its directory entry fsynced) when
 * the next part would not fit. {@link #commit()} is the durability point of one part.
 */
abstract class BodySink implements AutoCloseable {
    final Path dir;
    final long segmentSize;
    private int segments;
    long position;

    BodySink(Path dir, long segmentSize) {
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    static BodySink create(String impl, Path dir, long segmentSize) {
        switch (impl) {
            case "channel":
                return new Channel(dir, segmentSize);
            case "mapped":
                return new Mapped(dir, segmentSize);
            default:
                throw new IllegalArgumentException("unknown body path " + impl);
        }
    }

    /** Starts a part of {@code length} bytes, rolling to a new segment if it would not fit. */
    final void beginPart(long length) throws IOException {
        if (segments == 0 || position + length > segmentSize) {
            closeSegment();
            Path file = dir.resolve(String.format("%020d.seg", segments++));
            openSegment(file);
            Fsync.directory(dir);
            position = 0;
        }
    }

    /** Appends all of {@code src} at the current position. */
    abstract void write(ByteBuffer src) throws IOException;

    /** Makes every byte written so far durable. */
    abstract void commit() throws IOException;

    abstract void openSegment(Path file) throws IOException;

    abstract void closeSegment() throws IOException;

    @Override
    public void close() throws IOException {
        closeSegment();
    }

    /** FileChannel positional writes, then {@code force(false)} (fdatasync). What the engine does today. */
    static final class Channel extends BodySink {
        private FileChannel channel;

        Channel(Path dir, long segmentSize) {
            super(dir, segmentSize);
        }

        @Override
        void openSegment(Path file) throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }

        @Override
        void write(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                position += channel.write(src, position);
            }
        }

        @Override
        void commit() throws IOException {
            channel.force(false);
        }

        @Override
        void closeSegment() throws IOException {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }

    /**
     * Chronicle {@code MappedBytes} over the whole segment (one chunk), sync mode SYNC so that
     * {@code sync()} is {@code msync(MS_SYNC)} of the pages written since the last sync: the same
     * durability as fdatasync. The body is copied from the direct buffer into the mapping.
     */
    static final class Mapped extends BodySink {
        private MappedBytes bytes;

        Mapped(Path dir, long segmentSize) {
            super(dir, segmentSize);
        }

        @Override
        void openSegment(Path file) throws IOException {
            bytes = MappedBytes.singleMappedBytes(file.toFile(), segmentSize);
            bytes.singleThreadedCheckDisabled(true);
            bytes.mappedFile().syncMode(SyncMode.SYNC);
        }

        @Override
        void write(ByteBuffer src) {
            int n = src.remaining();
            BytesStore<?, ?> store = BytesStore.wrap(src);
            bytes.write(position, store, src.position(), n);
            src.position(src.limit());
            position += n;
        }

        @Override
        void commit() {
            bytes.writePosition(position);
            bytes.sync();
        }

        @Override
        void closeSegment() {
            if (bytes != null) {
                bytes.releaseLast();
                bytes = null;
            }
        }
    }
}
