package io.tessera.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin listener: a small HTTP/1.1 server on its own address (loopback by default), apart from the
 * S3 port, where paths such as {@code /metrics} would be path-style bucket names. One NIO event loop
 * does all its network work; {@link AdminApi} (and the front handler, the web console) do the rest on
 * their own threads.
 *
 * <p>Thread-safe.
 */
public final class AdminListener implements AutoCloseable {
    /** Request heads and bodies above this are refused (the API takes no bodies at all). */
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    static final int IDLE_SECONDS = 60;

    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final Channel serverChannel;

    private AdminListener(EventLoopGroup group, ChannelGroup connections, Channel serverChannel) {
        this.group = group;
        this.connections = connections;
        this.serverChannel = serverChannel;
    }

    /** Binds {@code address} (port 0 picks a free one) and serves {@code api} there. */
    public static AdminListener bind(InetSocketAddress address, AdminApi api) throws InterruptedException {
        return bind(address, api, null);
    }

    /**
     * Binds {@code address} and serves {@code api} there, with a handler from {@code front} on each connection
     * between the HTTP codec and the API (or none when null): it sees every request first, answers those it
     * claims (streaming their bodies as it likes) and passes the others on.
     */
    public static AdminListener bind(InetSocketAddress address, AdminApi api, Supplier<? extends ChannelHandler> front)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tessera-admin-net", true),
                NioIoHandler.newFactory());
        AdminListener listener = null;
        try {
            ChannelGroup connections = new DefaultChannelGroup("tessera-admin", GlobalEventExecutor.INSTANCE);
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS))
                                    .addLast("codec", new HttpServerCodec());
                            if (front != null) {
                                ch.pipeline().addLast("front", front.get());
                            }
                            ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                    .addLast("admin", new AdminChannelHandler(api));
                        }
                    });
            // sync() rethrows a failed bind's cause as it is: a checked BindException the signature does not show
            Channel ch = b.bind(address).sync().channel();
            listener = new AdminListener(group, connections, ch);
            return listener;
        } finally {
            if (listener == null) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
