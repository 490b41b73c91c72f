package io.tessera.server.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.tessera.server.http.HeaderValues;
import io.tessera.server.http.HttpDates;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * Encodes an {@link S3Response} onto the channel: the headers every S3 answer carries, then the body
 * as one buffer or as file regions. Header values are text, sent as UTF-8. Runs on the event loop.
 */
final class ResponseWriter {
    static final String SERVER = "Tessera";

    private ResponseWriter() {
    }

    /**
     * Writes the whole answer; the future completes when its last byte was written. When this throws (a
     * header Netty refuses), nothing was written and the caller still owns the response's content.
     */
    static ChannelFuture write(ChannelHandlerContext ctx, S3Request request, S3Response r, String hostId,
                               boolean close, Executor blockingPool) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(r.statusCode());
        S3Response.Body body = r.body();
        boolean head = request != null && request.isHead();
        if (body instanceof S3Response.Content c && !head) {
            HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            fillHeaders(res.headers(), r, request, hostId, close, c.content().length());
            ChannelFuture headWritten = ctx.write(res);
            return ContentStreamer.start(ctx, headWritten, c.content(), blockingPool, request.requestId());
        }
        DefaultFullHttpResponse res;
        long length;
        if (body instanceof S3Response.Bytes b && !head) {
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b.data()));
            length = b.data().length;
        } else {
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
            length = body instanceof S3Response.LengthOnly l ? l.length()
                    : body instanceof S3Response.Content c ? c.content().length() : 0;
        }
        fillHeaders(res.headers(), r, request, hostId, close, length);
        if (body instanceof S3Response.Content c) { // HEAD: the length only; the bytes are not needed
            c.content().close();
        }
        return ctx.writeAndFlush(res);
    }

    private static void fillHeaders(HttpHeaders h, S3Response r, S3Request request, String hostId, boolean close,
                                    long contentLength) {
        r.headers().forEach((name, value) -> h.add(name, HeaderValues.toWire(value)));
        if (request != null && request.requestId() != null) {
            h.set("x-amz-request-id", request.requestId());
        }
        h.set("x-amz-id-2", hostId);
        h.set(HttpHeaderNames.DATE, HttpDates.format(Instant.now()));
        h.set(HttpHeaderNames.SERVER, SERVER);
        boolean bodilessStatus = r.statusCode() == 204 || r.statusCode() == 304;
        if (!bodilessStatus || contentLength > 0) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        }
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }
}
