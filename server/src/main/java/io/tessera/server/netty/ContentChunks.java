package io.tessera.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tessera.engine.FileSlice;
import io.tessera.engine.ObjectContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/**
 * The messages that carry an object's bytes to the channel, in order. Without TLS they are file regions
 * sent with sendfile(2); with TLS the bytes must pass through the {@code SslHandler}, which encrypts
 * buffers only, so they are copied from the content's verified stream into buffers instead. Taking a
 * chunk reads the disk: call {@link #next()} on the blocking pool. Not thread-safe.
 */
interface ContentChunks {
    /** A message to write and the number of body bytes it carries. */
    record Chunk(Object message, long length) {
    }

    boolean hasNext();

    Chunk next() throws IOException;

    /** Zero-copy file regions over the content's verified slices. */
    static ContentChunks regions(ObjectContent content) {
        Iterator<FileSlice> slices = content.slices();
        return new ContentChunks() {
            @Override
            public boolean hasNext() {
                return slices.hasNext();
            }

            @Override
            public Chunk next() {
                FileSlice slice = slices.next();
                return new Chunk(new SliceRegion(slice), slice.length());
            }
        };
    }

    /** Buffers of at most {@code chunkSize} bytes filled from the content's verified stream. */
    static ContentChunks copies(ObjectContent content, ByteBufAllocator alloc, int chunkSize) {
        InputStream in = content.stream();
        return new ContentChunks() {
            private long left = content.length();

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public Chunk next() throws IOException {
                int n = (int) Math.min(chunkSize, left);
                ByteBuf buf = alloc.heapBuffer(n);
                try {
                    while (buf.readableBytes() < n) {
                        if (buf.writeBytes(in, n - buf.readableBytes()) < 0) {
                            throw new IOException("the object's content ended " + left + " bytes early");
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    buf.release();
                    throw e;
                }
                left -= n;
                return new Chunk(buf, n);
            }
        };
    }
}
