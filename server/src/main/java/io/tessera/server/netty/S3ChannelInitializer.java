package io.tessera.server.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tessera.server.http.ErrorResponder;
import io.tessera.server.http.RequestIds;
import io.tessera.server.http.S3Service;
import io.tessera.server.tls.ServerTls;
import java.util.concurrent.Executor;

/**
 * Builds the pipeline of each connection:
 * <pre>
 *   tls      SslHandler            with TLS only: decrypts and encrypts (plain HTTP is answered 400 and closed)
 *   idle     IdleStateHandler      all-idle timeout (the request handler decides whether to close)
 *   codec    HttpServerCodec       HTTP/1.1 with bounded request line, headers and body pieces;
 *                                  no aggregation: bodies stream
 *   chunked  ChunkedWriteHandler   ordered writes of file regions and chunked inputs
 *   s3       S3RequestHandler      one request at a time into the S3 service, held to the limits
 *                                  (head deadline, body admission, body timer)
 * </pre>
 * Connections beyond the cap never get here: {@link ConnectionCap} closes them on accept.
 */
final class S3ChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final S3Service service;
    private final ErrorResponder errors;
    private final RequestIds ids;
    private final Executor blockingPool;
    private final ListenerGuards guards;
    private final NettyLimits limits;
    private final ChannelGroup channels;
    private final ServerTls tls;

    S3ChannelInitializer(S3Service service, ErrorResponder errors, RequestIds ids, Executor blockingPool,
                         ListenerGuards guards, ChannelGroup channels, ServerTls tls) {
        this.service = service;
        this.errors = errors;
        this.ids = ids;
        this.blockingPool = blockingPool;
        this.guards = guards;
        this.limits = guards.limits();
        this.channels = channels;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(limits.maxChunkSize());
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls.newConnectionHandler("tls"));
        }
        p.addLast("idle", new IdleStateHandler(0, 0, limits.idleSeconds()));
        p.addLast("codec", new HttpServerCodec(decoder));
        p.addLast("chunked", new ChunkedWriteHandler());
        p.addLast("s3", new S3RequestHandler(service, errors, ids, blockingPool, guards));
    }
}
