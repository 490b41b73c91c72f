package io.tessera.engine.testkit;

import io.tessera.engine.segment.SegmentIo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A segment file layer with faults on demand (Kafka's MockLog and BookKeeper's failing wrappers):
 * fail the next N writes or fsyncs, and {@link #crash()} — every file loses what was written since
 * its last successful fsync (plus a torn, garbage tail), and every later write or fsync fails, as if
 * the process had died. A {@link #capacity(long) capacity} makes it a small disk: a write that would
 * grow its files (those not deleted) past it fails with "No space left on device". Thread-safe.
 */
public final class FaultyIo implements SegmentIo {
    private final List<FaultyChannel> channels = new CopyOnWriteArrayList<>();
    private final AtomicInteger failWrites = new AtomicInteger();
    private final AtomicInteger failForces = new AtomicInteger();
    private final AtomicBoolean crashed = new AtomicBoolean();
    private final AtomicBoolean crashOnNextForce = new AtomicBoolean();
    private volatile long capacity = Long.MAX_VALUE;

    @Override
    public FileChannel create(Path path) throws IOException {
        FaultyChannel ch = new FaultyChannel(path, SegmentIo.DEFAULT.create(path));
        channels.add(ch);
        return ch;
    }

    @Override
    public long usableSpace(Path dir) throws IOException {
        long cap = capacity;
        return cap == Long.MAX_VALUE ? SegmentIo.super.usableSpace(dir) : Math.max(0, cap - usedBytes());
    }

    @Override
    public long totalSpace(Path dir) throws IOException {
        long cap = capacity;
        return cap == Long.MAX_VALUE ? SegmentIo.super.totalSpace(dir) : cap;
    }

    /** From now on the files written through this layer may hold at most {@code bytes} together. */
    public void capacity(long bytes) {
        capacity = bytes;
    }

    /** Bytes held by the files written through this layer that still exist. */
    public long usedBytes() {
        long sum = 0;
        for (FaultyChannel ch : channels) {
            try {
                sum += Files.size(ch.path);
            } catch (IOException e) {
                // deleted: its space is free again
            }
        }
        return sum;
    }

    public void failNextWrites(int n) {
        failWrites.set(n);
    }

    public void failNextForces(int n) {
        failForces.set(n);
    }

    /** Injected fsync failures not yet taken by a fsync. */
    public int pendingForceFailures() {
        return failForces.get();
    }

    /** The next data fsync (of a record) does not happen: the process "dies" right there ({@link #crash()}). */
    public void crashOnNextDataSync() {
        crashOnNextForce.set(true);
    }

    /** Drops every unsynced byte (leaving a few garbage bytes where the tail was) and kills the files. */
    public void crash() throws IOException {
        crashed.set(true);
        for (FaultyChannel ch : channels) {
            ch.loseUnsynced();
        }
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private final class FaultyChannel extends FileChannel {
        private final Path path;
        private final FileChannel delegate;
        private volatile long syncedSize;

        FaultyChannel(Path path, FileChannel delegate) {
            this.path = path;
            this.delegate = delegate;
        }

        private void checkWrite() throws IOException {
            if (crashed.get() || take(failWrites)) {
                throw new IOException("injected write failure on " + path);
            }
        }

        /** Writes within the capacity: one growth at a time, so that two cannot both take the last bytes. */
        private int writeWithin(ByteBuffer src, long position) throws IOException {
            if (capacity == Long.MAX_VALUE) {
                return delegate.write(src, position);
            }
            synchronized (FaultyIo.this) {
                long growth = position + src.remaining() - delegate.size();
                if (growth > 0 && usedBytes() + growth > capacity) {
                    throw new IOException("No space left on device");
                }
                return delegate.write(src, position);
            }
        }

        void loseUnsynced() throws IOException {
            try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
                long size = f.length();
                if (size > syncedSize) {
                    f.setLength(syncedSize);
                    f.seek(syncedSize);
                    f.write(new byte[] {0x13, 0x37, 0x42}); // a torn write: half a header
                }
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            checkWrite();
            int n = writeWithin(src, delegate.position());
            delegate.position(delegate.position() + n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            checkWrite();
            return delegate.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            checkWrite();
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (!metaData && crashOnNextForce.compareAndSet(true, false)) {
                crash();
            }
            if (crashed.get() || take(failForces)) {
                throw new IOException("injected fsync failure on " + path);
            }
            long size = delegate.size();
            delegate.force(metaData);
            syncedSize = size;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            checkWrite();
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            checkWrite();
            return writeWithin(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
