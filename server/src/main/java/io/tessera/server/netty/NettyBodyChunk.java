package io.tessera.server.netty;

import io.netty.buffer.ByteBuf;
import io.tessera.server.http.BodyChunk;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link BodyChunk} over a Netty buffer; releasing it also credits the connection's read window. */
final class NettyBodyChunk implements BodyChunk {
    private final ByteBuf buf;
    private final int size;
    private final ReadWindow window;
    private final AtomicBoolean released = new AtomicBoolean();

    NettyBodyChunk(ByteBuf buf, ReadWindow window) {
        this.buf = buf;
        this.size = buf.readableBytes();
        this.window = window;
    }

    @Override
    public ByteBuffer buffer() {
        return buf.nioBufferCount() == 1 ? buf.nioBuffer() : ByteBuffer.wrap(bytes());
    }

    private byte[] bytes() {
        byte[] b = new byte[size];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            buf.release();
            window.credit(size);
        }
    }
}
