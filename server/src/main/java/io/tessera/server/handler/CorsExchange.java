package io.tessera.server.handler;

import io.tessera.server.cors.CorsHeaders;
import io.tessera.server.cors.CorsRules;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.xml.CorsConfiguration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the CORS headers to the answer of an actual cross-origin request (one with {@code Origin}, other
 * than a preflight) when a rule of its bucket allows the origin and method, error answers included, as
 * S3 does. Without a match, or without a configuration, the answer goes out unchanged: CORS never
 * refuses a request. The rules are read on the engine's I/O threads just before the answer leaves.
 * Thread-safe as {@link S3Exchange} is.
 */
final class CorsExchange implements S3Exchange {
    static final String CONFIG = "cors";
    private static final Logger LOG = LoggerFactory.getLogger(CorsExchange.class);

    private final S3Exchange delegate;
    private final HandlerContext ctx;
    private final String bucket;

    private CorsExchange(S3Exchange delegate, HandlerContext ctx, String bucket) {
        this.delegate = delegate;
        this.ctx = ctx;
        this.bucket = bucket;
    }

    /** {@code exchange} itself when it is no actual cross-origin request to a bucket. */
    static S3Exchange decorate(S3Exchange exchange, HandlerContext ctx, String bucket) {
        S3Request req = exchange.request();
        if (bucket == null || req.header("Origin") == null || "OPTIONS".equals(req.method())) {
            return exchange;
        }
        return new CorsExchange(exchange, ctx, bucket);
    }

    @Override
    public S3Request request() {
        return delegate.request();
    }

    @Override
    public void readBody(BodySink sink) {
        delegate.readBody(sink);
    }

    @Override
    public void respond(S3Response response) {
        S3Request req = delegate.request();
        CompletableFuture<byte[]> rules;
        try {
            rules = ctx.engine().call(e -> e.bucketConfig(bucket, CONFIG));
        } catch (RuntimeException e) { // the engine's threads are stopping: answer as is
            delegate.respond(response);
            return;
        }
        rules.whenComplete((stored, err) -> {
            try {
                if (err == null && stored != null) {
                    String origin = req.header("Origin");
                    CorsConfiguration.Rule rule = CorsRules.decode(stored).match(origin, req.method(),
                            List.of());
                    if (rule != null) {
                        CorsHeaders.actual(response, rule, origin);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("CORS rules of bucket {} unreadable; answering without CORS headers", bucket, e);
            } finally {
                delegate.respond(response);
            }
        });
    }
}
