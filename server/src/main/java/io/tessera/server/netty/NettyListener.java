package io.tessera.server.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tessera.server.http.ErrorResponder;
import io.tessera.server.http.RequestIds;
import io.tessera.server.http.S3Service;
import io.tessera.server.tls.ServerTls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The Netty side of a node: the listening socket, its event loops and the open connections. The rest
 * of the server sees only {@link S3Service} and this class's life cycle.
 *
 * <p>Thread-safe.
 */
public final class NettyListener implements AutoCloseable {
    /** The most bytes one socket read takes in (the receive buffer allocator's ceiling). */
    static final int MAX_READ_BYTES = 256 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup connections;
    private final Channel serverChannel;
    private final ListenerGuards guards;

    private NettyListener(EventLoopGroup boss, EventLoopGroup workers, ChannelGroup connections,
                          Channel serverChannel, ListenerGuards guards) {
        this.boss = boss;
        this.workers = workers;
        this.connections = connections;
        this.serverChannel = serverChannel;
        this.guards = guards;
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param ioThreads     event loop threads (0: Netty's default, twice the cores)
     * @param blockingPool  where disk work for responses runs (the engine's I/O threads)
     * @param tls           HTTPS on this address, or null for plain HTTP
     */
    public static NettyListener bind(InetSocketAddress address, int ioThreads, S3Service service,
                                     ErrorResponder errors, RequestIds ids, Executor blockingPool,
                                     NettyLimits limits, ServerTls tls) throws InterruptedException {
        EventLoopGroup boss = Transports.newGroup(1, "tessera-accept");
        EventLoopGroup workers = Transports.newGroup(ioThreads, "tessera-net");
        NettyListener listener = null;
        try {
            ChannelGroup group = new DefaultChannelGroup("tessera-connections", GlobalEventExecutor.INSTANCE);
            ListenerGuards guards = new ListenerGuards(limits);
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(Transports.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024,
                            MAX_READ_BYTES))
                    .handler(guards.connections())
                    .childHandler(new S3ChannelInitializer(service, errors, ids, blockingPool, guards, group, tls));
            Channel ch = b.bind(address).sync().channel();
            listener = new NettyListener(boss, workers, group, ch, guards);
            return listener;
        } finally {
            if (listener == null) {
                boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting new connections; open ones go on. */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /** Number of open client connections. */
    public int openConnections() {
        return connections.size();
    }

    /** What the guards refused and cut so far, and what they hold now. */
    public ListenerStats stats() {
        return guards.stats();
    }

    /**
     * Starts a graceful shutdown of every connection: an idle one closes now, a busy one once its
     * current request is answered (that answer says {@code Connection: close}).
     */
    public void drain() {
        for (Channel ch : connections) {
            ch.pipeline().fireUserEventTriggered(S3RequestHandler.DRAIN);
        }
    }

    /** Waits up to {@code timeout} for every connection open now to close; true if they all did. */
    public boolean awaitConnectionsClosed(Duration timeout) {
        return connections.newCloseFuture().awaitUninterruptibly(Math.max(0, timeout.toMillis()));
    }

    /** Closes every client connection now. */
    public void closeConnections() {
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        stopAccepting();
        closeConnections();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
