package io.tessera.server.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.tessera.engine.ObjectContent;
import io.tessera.server.http.SerialExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the bytes of an {@link ObjectContent} as file regions after the response headers (as copied
 * buffers over TLS: see {@link ContentChunks}). The engine verifies each slice (a disk read) when it
 * is taken from the iterator, so chunks are taken on the blocking pool, never on the event loop; at
 * most {@link #HIGH_WATER} bytes of regions ({@link #COPY_HIGH_WATER} of buffers) are queued on the
 * channel at a time. The content is closed exactly once, after every region written has
 * completed or failed: its channels must stay open while regions still point at them.
 *
 * <p>A failure after the headers went out (a corrupt block, a closed connection) can only be told to
 * the client by closing the connection, which is what happens.
 */
public final class ContentStreamer {
    private static final Logger LOG = LoggerFactory.getLogger(ContentStreamer.class);
    static final long HIGH_WATER = 8L << 20;
    static final long LOW_WATER = 2L << 20;
    /** Buffers hold memory, regions do not: copies keep less in flight. */
    static final long COPY_HIGH_WATER = 1L << 20;
    static final long COPY_LOW_WATER = 512L << 10;
    static final int COPY_CHUNK = 128 << 10;

    private final ChannelHandlerContext ctx;
    private final ObjectContent content;
    private final SerialExecutor serial;
    private final ChannelPromise done;
    private final String requestId;
    private final boolean copy;
    private final long highWater;
    private final long lowWater;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final AtomicBoolean closedContent = new AtomicBoolean();
    private volatile boolean failed;
    private volatile boolean lastWritten;
    private volatile boolean lastCompleted;
    private ContentChunks chunks;

    private ContentStreamer(ChannelHandlerContext ctx, ObjectContent content, Executor blockingPool, String requestId) {
        this.ctx = ctx;
        this.content = content;
        this.serial = new SerialExecutor(blockingPool);
        this.done = ctx.newPromise();
        this.requestId = requestId;
        this.copy = ctx.pipeline().get(SslHandler.class) != null;
        this.highWater = copy ? COPY_HIGH_WATER : HIGH_WATER;
        this.lowWater = copy ? COPY_LOW_WATER : LOW_WATER;
    }

    /**
     * Starts sending after the response head; the returned future completes when the last byte was written
     * (or failed). From here on the streamer owns the content: it closes it whatever happens.
     */
    public static ChannelFuture start(ChannelHandlerContext ctx, ChannelFuture headWritten, ObjectContent content,
                               Executor blockingPool, String requestId) {
        ContentStreamer s = new ContentStreamer(ctx, content, blockingPool, requestId);
        headWritten.addListener(f -> {
            if (!f.isSuccess()) {
                s.fail(f.cause());
            }
        });
        s.schedulePump();
        return s.done;
    }

    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            serial.execute(this::pump);
        }
    }

    /** Runs on the blocking pool, one at a time. */
    private void pump() {
        pumpScheduled.set(false);
        if (failed || lastWritten) {
            closeIfIdle();
            return;
        }
        try {
            if (chunks == null) {
                chunks = copy ? ContentChunks.copies(content, ctx.alloc(), COPY_CHUNK) : ContentChunks.regions(content);
            }
            boolean wrote = false;
            while (!failed && outstanding.get() < highWater && chunks.hasNext()) {
                ContentChunks.Chunk chunk = chunks.next();
                long n = chunk.length();
                outstanding.addAndGet(n);
                wrote = true;
                ctx.write(chunk.message()).addListener(f -> regionDone(f, n));
            }
            if (!failed && !chunks.hasNext()) {
                lastWritten = true;
                outstanding.incrementAndGet();
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(this::lastDone);
            } else if (wrote) {
                ctx.flush();
            }
        } catch (Throwable t) { // whatever it is, the content must still be closed and the client told
            LOG.error("request {}: reading object data failed after the headers were sent", requestId, t);
            fail(t);
        }
    }

    private void regionDone(io.netty.util.concurrent.Future<?> f, long n) {
        long left = outstanding.addAndGet(-n);
        if (!f.isSuccess()) {
            fail(f.cause());
        } else if (left < lowWater && !lastWritten) {
            schedulePump();
        }
        if (left == 0) {
            serial.execute(this::closeIfIdle);
        }
    }

    private void lastDone(io.netty.util.concurrent.Future<?> f) {
        outstanding.decrementAndGet();
        if (f.isSuccess()) {
            lastCompleted = true;
            serial.execute(this::closeIfIdle);
            done.trySuccess();
        } else {
            fail(f.cause());
        }
    }

    private void fail(Throwable cause) {
        if (!failed) {
            failed = true;
            ctx.channel().close();
        }
        done.tryFailure(cause);
        serial.execute(this::closeIfIdle);
    }

    /** Closes the content once nothing written still refers to it. Runs on the serial executor. */
    private void closeIfIdle() {
        if ((failed || lastCompleted) && outstanding.get() == 0 && closedContent.compareAndSet(false, true)) {
            content.close();
        }
    }
}
