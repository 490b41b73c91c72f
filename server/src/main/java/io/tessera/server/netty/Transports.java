package io.tessera.server.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The transport: native epoll when it loads (Linux), NIO otherwise or when the system property
 * {@code tessera.nio=true} asks for it. Both send files with sendfile(2).
 */
public final class Transports {
    private Transports() {
    }

    /** Whether the native epoll transport is used. */
    public static boolean epoll() {
        return !Boolean.getBoolean("tessera.nio") && Epoll.isAvailable();
    }

    /** The transport's name, for the start-up log. */
    public static String name() {
        return epoll() ? "epoll" : "nio";
    }

    static EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, false), factory);
    }

    static Class<? extends ServerChannel> serverChannel() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
