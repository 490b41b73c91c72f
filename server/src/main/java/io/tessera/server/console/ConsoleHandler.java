package io.tessera.server.console;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tessera.engine.ObjectContent;
import io.tessera.server.admin.AdminRequest;
import io.tessera.server.console.ConsoleDocuments.Written;
import io.tessera.server.http.Headers;
import io.tessera.server.netty.ContentStreamer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console on one admin connection: it sits between the HTTP codec and the admin API's aggregator,
 * takes the requests under {@code /console} and passes every other message on untouched. Requests are
 * answered one at a time (reading pauses meanwhile); uploads stream into the engine ({@link BodyUpload})
 * and downloads stream out of it as file regions ({@link ContentStreamer}), so neither holds a body in
 * memory. A connection stalled in the middle of a body is closed by the listener's idle timeout.
 *
 * <p>Every console answer says: never sniff, never frame, send no referrer; pages may load scripts and
 * styles from the console only; a download is an attachment in a sandbox, so an HTML object cannot run
 * as the console.
 *
 * <p>One instance per connection; its methods run on the connection's event loop.
 */
final class ConsoleHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
    static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";
    static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";
    static final String COOKIE_PREFIX = "tessera_console_";

    private enum Mode {
        /** Between requests. */
        IDLE,
        /** Passing a request that is not the console's on. */
        PASS,
        /** Reading the rest of a request to answer once it is whole. */
        COLLECT,
        /** Streaming a body into the engine. */
        UPLOAD,
        /** Working on an answer, or sending it. */
        ANSWERING,
        /** Sending an object. */
        DOWNLOAD,
        /** A refused request whose body is being dropped before the connection closes. */
        DISCARD
    }

    private final ConsoleApi api;
    private final Executor pool;
    private Mode mode = Mode.IDLE;
    private AdminRequest request;
    private boolean keepAlive;
    private long bodyBytes;
    private BodyUpload<?> upload;
    /** A request arrived while another was being answered: the client pipelines, which the console does not. */
    private boolean closeAfterAnswer;

    /** @param pool the console's blocking pool: engine writes and reads of bodies */
    ConsoleHandler(ConsoleApi api, Executor pool) {
        this.api = api;
        this.pool = pool;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest r) {
            onRequest(ctx, r);
        } else if (msg instanceof HttpContent c) {
            onContent(ctx, c);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest r) {
        if (mode != Mode.IDLE) {
            ReferenceCountUtil.release(r);
            closeAfterAnswer = true;
            return;
        }
        String uri = r.uri();
        int q = uri.indexOf('?');
        if (r.decoderResult().isFailure() || !ConsoleApi.claims(q < 0 ? uri : uri.substring(0, q))) {
            mode = r instanceof LastHttpContent ? Mode.IDLE : Mode.PASS;
            ctx.fireChannelRead(r);
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(r);
        Headers headers = new Headers();
        r.headers().forEach(e -> headers.add(e.getKey(), e.getValue()));
        request = AdminRequest.of(r.method().name(), uri, headers, 0);
        bodyBytes = 0;
        ConsoleApi.Kind kind = ConsoleApi.kind(request);
        if (kind == ConsoleApi.Kind.UPLOAD_OBJECT || kind == ConsoleApi.Kind.UPLOAD_PART) {
            startUpload(ctx, r, kind);
        } else {
            mode = Mode.COLLECT;
        }
        if (r instanceof HttpContent c) {
            onContent(ctx, c);
        } else {
            ReferenceCountUtil.release(r);
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        switch (mode) {
            case PASS -> {
                if (last) {
                    mode = Mode.IDLE;
                }
                ctx.fireChannelRead(c);
            }
            case COLLECT -> {
                bodyBytes += c.content().readableBytes();
                c.release();
                if (last) {
                    whole(ctx);
                }
            }
            case UPLOAD -> upload.chunk(c);
            default -> c.release(); // a refused body, or a pipelined request's
        }
    }

    /** The request has ended: answer it. */
    private void whole(ChannelHandlerContext ctx) {
        mode = Mode.ANSWERING;
        ctx.channel().config().setAutoRead(false);
        AdminRequest req = new AdminRequest(request.method(), request.rawPath(), request.rawQuery(), request.headers(),
                bodyBytes);
        if (ConsoleApi.kind(req) == ConsoleApi.Kind.DOWNLOAD) {
            download(ctx, req);
            return;
        }
        api.answer(req, cookieName(ctx)).whenComplete((r, err) -> {
            ConsoleResponse answer = r != null ? r : ConsoleApi.failure(err);
            ctx.executor().execute(() -> respond(ctx, answer, false));
        });
    }

    private void startUpload(ChannelHandlerContext ctx, HttpRequest r, ConsoleApi.Kind kind) {
        ctx.channel().config().setAutoRead(false);
        try {
            String keyId = api.authorize(request, cookieName(ctx)).accessKeyId();
            if (!HttpUtil.isContentLengthSet(r)) {
                throw new ConsoleRefusal(411, "MissingContentLength", "an upload needs a Content-Length");
            }
            long length = HttpUtil.getContentLength(r, -1L);
            Map<String, String> q = ConsoleApi.query(request.rawQuery());
            String bucket = ConsoleApi.need(q, "bucket");
            String key = ConsoleApi.need(q, "key");
            ConsoleData data = api.data();
            if (kind == ConsoleApi.Kind.UPLOAD_OBJECT) {
                String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
                String owner = data.owner(keyId);
                upload = new BodyUpload<>(ctx, pool, () -> data.beginPut(bucket, key, type, length, owner),
                        o -> ConsoleResponse.json(200, new Written(o.key(), o.size(), o.etag())),
                        a -> respond(ctx, a.response(), a.close()));
            } else {
                String uploadId = ConsoleApi.need(q, "uploadId");
                long part = ConsoleApi.number(q, "part", 0);
                if (part < 1 || part > 10_000) {
                    throw new ConsoleRefusal(400, "InvalidArgument", "part is a number from 1 to 10000");
                }
                upload = new BodyUpload<>(ctx, pool, () -> data.beginPart(bucket, key, uploadId, (int) part, length),
                        p -> ConsoleResponse.json(200, new Written(key, p.size(), p.etag())),
                        a -> respond(ctx, a.response(), a.close()));
            }
        } catch (ConsoleRefusal e) {
            mode = Mode.DISCARD;
            respond(ctx, e.response(), true);
            return;
        }
        mode = Mode.UPLOAD;
        if (HttpUtil.is100ContinueExpected(r)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        upload.start();
    }

    private void download(ChannelHandlerContext ctx, AdminRequest req) {
        String bucket;
        String key;
        ConsoleData data;
        try {
            api.authorize(req, cookieName(ctx));
            Map<String, String> q = ConsoleApi.query(req.rawQuery());
            bucket = ConsoleApi.need(q, "bucket");
            key = ConsoleApi.need(q, "key");
            data = api.data();
        } catch (ConsoleRefusal e) {
            respond(ctx, e.response(), false);
            return;
        }
        pool.execute(() -> {
            ObjectContent content;
            try {
                content = data.open(bucket, key);
            } catch (RuntimeException e) {
                ConsoleResponse failure = ConsoleApi.failure(e);
                ctx.executor().execute(() -> respond(ctx, failure, false));
                return;
            }
            ctx.executor().execute(() -> send(ctx, content, key));
        });
    }

    private void send(ChannelHandlerContext ctx, ObjectContent content, String key) {
        if (!ctx.channel().isActive()) {
            content.close();
            return;
        }
        mode = Mode.DOWNLOAD;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = head.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        h.set(HttpHeaderNames.CONTENT_LENGTH, content.length());
        h.set(HttpHeaderNames.CONTENT_DISPOSITION, attachment(key));
        h.set(HttpHeaderNames.ETAG, content.info().etag());
        common(h, DATA_POLICY);
        boolean close = !keepAlive || closeAfterAnswer;
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture headWritten = ctx.write(head);
        ContentStreamer.start(ctx, headWritten, content, pool, "console").addListener(f -> finished(ctx, close
                || !f.isSuccess()));
    }

    /** {@code attachment} with the key's last segment as the file name (ASCII fallback, then UTF-8). */
    static String attachment(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            name = "object";
        }
        StringBuilder ascii = new StringBuilder();
        for (char ch : name.toCharArray()) {
            ascii.append(ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' ? ch : '_');
        }
        String utf8 = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }

    private void respond(ChannelHandlerContext ctx, ConsoleResponse r, boolean mustClose) {
        if (mode != Mode.DISCARD) {
            mode = Mode.ANSWERING;
        }
        upload = null;
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        h.set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        common(h, r.contentType().startsWith("text/html") ? PAGE_POLICY : DATA_POLICY);
        if (!r.contentType().equals(ConsoleResponse.JSON) && r.status() == 200) {
            h.set(HttpHeaderNames.CACHE_CONTROL, "no-cache"); // the page's files: revalidated, never stale after an upgrade
        }
        r.headers().forEach(h::set);
        boolean close = mustClose || !keepAlive || closeAfterAnswer;
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> finished(ctx, close || !f.isSuccess()));
    }

    private static void common(HttpHeaders h, String policy) {
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", policy);
    }

    private void finished(ChannelHandlerContext ctx, boolean close) {
        mode = Mode.IDLE;
        closeAfterAnswer = false;
        if (close) {
            ctx.close();
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static String cookieName(ChannelHandlerContext ctx) {
        // cookies ignore ports: the port in the name keeps two nodes on one host from ending each other's sessions
        return COOKIE_PREFIX + ((InetSocketAddress) ctx.channel().localAddress()).getPort();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (upload != null) {
            upload.abandon();
            upload = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            switch (mode) {
                case COLLECT, UPLOAD, DOWNLOAD, DISCARD -> {
                    ctx.close(); // a client stalled in the middle of a body
                    return;
                }
                case ANSWERING -> {
                    return; // the console is working (a GC cycle may take long)
                }
                default -> {
                    // idle between requests, or in the admin API's: its handler decides
                }
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (mode == Mode.IDLE || mode == Mode.PASS) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        if (cause instanceof IOException) {
            LOG.debug("console connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            LOG.warn("console connection {} failed", ctx.channel(), cause);
        }
        ctx.close();
    }
}
