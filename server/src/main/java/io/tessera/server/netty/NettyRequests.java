package io.tessera.server.netty;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.tessera.server.http.Headers;
import io.tessera.server.http.S3Request;
import java.time.Instant;
import java.util.Map;

/** Turns Netty's request objects into the Netty-free {@link S3Request}. */
final class NettyRequests {
    private NettyRequests() {
    }

    static S3Request toS3(HttpRequest req, String requestId) {
        long length;
        try {
            length = HttpUtil.getContentLength(req, -1L);
        } catch (NumberFormatException e) {
            length = -1;
        }
        return new S3Request(req.method().name(), req.uri(), headers(req.headers()), requestId, length,
                HttpUtil.isTransferEncodingChunked(req), HttpUtil.is100ContinueExpected(req), Instant.now());
    }

    static Headers headers(HttpHeaders h) {
        Headers out = new Headers();
        for (Map.Entry<String, String> e : h) {
            out.add(e.getKey(), e.getValue());
        }
        return out;
    }
}
