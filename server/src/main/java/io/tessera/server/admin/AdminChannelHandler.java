package io.tessera.server.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.tessera.server.http.Headers;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin connection: hands each aggregated request to the {@link AdminApi} and writes its answer.
 * Reading pauses while a request is being answered, so pipelined requests are answered in order. An
 * idle connection is closed, except while the API works on its request (a gc or fsck may take long).
 *
 * <p>One instance per connection; its methods run on the connection's event loop.
 */
final class AdminChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminChannelHandler.class);

    private final AdminApi api;
    private boolean working;

    AdminChannelHandler(AdminApi api) {
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().name().equals("HEAD");
        if (req.decoderResult().isFailure()) {
            write(ctx, AdminApi.failure(400, "BadRequest", "not an HTTP/1.1 request"), false, false);
            return;
        }
        working = true;
        ctx.channel().config().setAutoRead(false);
        Headers headers = new Headers();
        for (Map.Entry<String, String> e : req.headers()) {
            headers.add(e.getKey(), e.getValue());
        }
        AdminRequest request = AdminRequest.of(req.method().name(), req.uri(), headers,
                req.content().readableBytes());
        api.handle(request).whenComplete((r, err) -> {
            AdminResponse answer = r != null ? r : AdminApi.failure(500, "InternalError", String.valueOf(err));
            ctx.executor().execute(() -> write(ctx, answer, keepAlive, head));
        });
    }

    private void write(ChannelHandlerContext ctx, AdminResponse r, boolean keepAlive, boolean head) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> {
            working = false;
            if (!keepAlive || !f.isSuccess()) {
                ctx.close();
            } else {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!working) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("admin connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            LOG.warn("admin connection {} failed", ctx.channel(), cause);
        }
        ctx.close();
    }
}
