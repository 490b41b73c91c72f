package io.tessera.server.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on the listening channel and sees each accepted connection before it is set up: beyond
 * {@code max} open connections, a new one is closed at once, before any handler or buffer exists for
 * it, and counted. (Closing is the only answer that works the same under TLS, and costs nothing.)
 *
 * <p>Thread-safe: accepts run on the acceptor's event loop, closes on the connections' loops.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final PeriodicLog refused;

    ConnectionCap(int max) {
        this.max = max;
        this.refused = new PeriodicLog(LOG, "refused {} connections: " + max + " are open, the most allowed");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.record(String.valueOf(child.remoteAddress()));
            child.unsafe().closeForcibly(); // not registered yet: no pipeline to go through
            return;
        }
        child.closeFuture().addListener(f -> open.decrementAndGet());
        ctx.fireChannelRead(child);
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.total();
    }
}
