package io.tessera.server.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.tessera.engine.FileSlice;
import io.tessera.engine.ObjectContent;
import io.tessera.server.http.SerialExecutor;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the bytes of an {@link ObjectContent} as file regions after the response headers. The
 * engine verifies each slice (a disk read) when it is taken from the iterator, so slices are taken on
 * the blocking pool, never on the event loop; at most {@link #HIGH_WATER} bytes of regions are queued
 * on the channel at a time. The content is closed exactly once, after every region written has
 * completed or failed: its channels must stay open while regions still point at them.
 *
 * <p>A failure after the headers went out (a corrupt block, a closed connection) can only be told to
 * the client by closing the connection, which is what happens.
 */
final class ContentStreamer {
    private static final Logger LOG = LoggerFactory.getLogger(ContentStreamer.class);
    static final long HIGH_WATER = 8L << 20;
    static final long LOW_WATER = 2L << 20;

    private final ChannelHandlerContext ctx;
    private final ObjectContent content;
    private final SerialExecutor serial;
    private final ChannelPromise done;
    private final String requestId;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final AtomicBoolean closedContent = new AtomicBoolean();
    private volatile boolean failed;
    private volatile boolean lastWritten;
    private volatile boolean lastCompleted;
    private Iterator<FileSlice> slices;

    private ContentStreamer(ChannelHandlerContext ctx, ObjectContent content, Executor blockingPool, String requestId) {
        this.ctx = ctx;
        this.content = content;
        this.serial = new SerialExecutor(blockingPool);
        this.done = ctx.newPromise();
        this.requestId = requestId;
    }

    /**
     * Starts sending after the response head; the returned future completes when the last byte was written
     * (or failed). From here on the streamer owns the content: it closes it whatever happens.
     */
    static ChannelFuture start(ChannelHandlerContext ctx, ChannelFuture headWritten, ObjectContent content,
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
            if (slices == null) {
                slices = content.slices();
            }
            boolean wrote = false;
            while (!failed && outstanding.get() < HIGH_WATER && slices.hasNext()) {
                FileSlice slice = slices.next();
                long n = slice.length();
                outstanding.addAndGet(n);
                wrote = true;
                ctx.write(new SliceRegion(slice)).addListener(f -> regionDone(f, n));
            }
            if (!failed && !slices.hasNext()) {
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
        } else if (left < LOW_WATER && !lastWritten) {
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
