package io.tessera.server.netty;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.tessera.server.http.HeaderValues;
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
        // Netty reads the request line one char per byte; a path sent unescaped is taken as UTF-8 text.
        String uri = HeaderValues.fromWire(req.uri());
        return new S3Request(req.method().name(), uri, headers(req.headers()), requestId, length,
                HttpUtil.isTransferEncodingChunked(req), HttpUtil.is100ContinueExpected(req), Instant.now());
    }

    /** The headers as wire strings (one char per byte), as SigV4 needs them; see {@link HeaderValues}. */
    static Headers headers(HttpHeaders h) {
        Headers out = new Headers();
        for (Map.Entry<String, String> e : h) {
            out.add(e.getKey(), e.getValue());
        }
        return out;
    }
}
