package io.tessera.server.observe;

import io.tessera.server.http.BodyChunk;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.Headers;
import io.tessera.server.http.RequestFacts;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An exchange that measures itself for {@link ObservedService}: it counts the body bytes its sink
 * receives, keeps the facts the S3 layers describe, and reports one {@link RequestRecord} when the
 * first answer has been written (or could not be). Thread-safe like the exchange it wraps.
 */
final class ObservedExchange implements S3Exchange {
    private static final RequestFacts UNKNOWN = new RequestFacts(null, null, null, null);

    private final S3Exchange inner;
    private final ObservedService owner;
    private final long startNanos = System.nanoTime();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile RequestFacts facts = UNKNOWN;

    ObservedExchange(S3Exchange inner, ObservedService owner) {
        this.inner = inner;
        this.owner = owner;
    }

    @Override
    public S3Request request() {
        return inner.request();
    }

    @Override
    public void describe(RequestFacts f) {
        this.facts = f;
        inner.describe(f);
    }

    @Override
    public void readBody(BodySink sink) {
        inner.readBody(new CountingSink(sink));
    }

    @Override
    public void respond(S3Response response) {
        if (answered.compareAndSet(false, true)) {
            response.whenSent(complete -> finish(response, complete));
        }
        inner.respond(response);
    }

    private void finish(S3Response response, boolean complete) {
        S3Request req = inner.request();
        RequestFacts f = facts;
        owner.completed(new RequestRecord(req.received(), req.requestId(), req.method(), f.accessKeyId(),
                f.operation(), f.bucket(), f.key(), response.statusCode(), response.errorCode(), bytesIn.get(),
                bodyBytes(req, response), System.nanoTime() - startNanos, complete));
    }

    private static long bodyBytes(S3Request req, S3Response response) {
        if (req.isHead()) {
            return 0;
        }
        S3Response.Body b = response.body();
        if (b instanceof S3Response.Bytes bytes) {
            return bytes.data().length;
        }
        if (b instanceof S3Response.Content c) {
            return c.content().length();
        }
        return 0;
    }

    /** Counts the body bytes that pass. */
    private final class CountingSink implements BodySink {
        private final BodySink sink;

        CountingSink(BodySink sink) {
            this.sink = sink;
        }

        @Override
        public void onChunk(BodyChunk chunk) {
            bytesIn.addAndGet(chunk.size());
            sink.onChunk(chunk);
        }

        @Override
        public void onEnd(Headers trailers) {
            sink.onEnd(trailers);
        }

        @Override
        public void onAbort() {
            sink.onAbort();
        }

        @Override
        public void onRefused(RuntimeException why) {
            sink.onRefused(why);
        }
    }
}
