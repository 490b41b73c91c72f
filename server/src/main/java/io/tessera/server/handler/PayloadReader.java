package io.tessera.server.handler;

import io.tessera.server.auth.AuthResult;
import io.tessera.server.auth.AwsChunkedDecoder;
import io.tessera.server.auth.PayloadHashVerifier;
import io.tessera.server.auth.PayloadMode;
import io.tessera.server.auth.Trailers;
import io.tessera.server.http.S3Request;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Turns the bytes of a request body as they arrived into the payload, proving it as it goes: plain
 * bodies pass through (hashed against {@code x-amz-content-sha256} when that is a digest), aws-chunked
 * bodies are decoded and their chunk signatures checked. Nothing read may be committed before
 * {@link #finish()} returned. One per request; not thread-safe.
 */
final class PayloadReader {
    private final AwsChunkedDecoder decoder;
    private final PayloadHashVerifier hash;
    private long decoded;

    private PayloadReader(AwsChunkedDecoder decoder, PayloadHashVerifier hash) {
        this.decoder = decoder;
        this.hash = hash;
    }

    /** The reader for a request authenticated as {@code auth}. */
    static PayloadReader forRequest(AuthResult auth, S3Request req) {
        PayloadMode mode = auth.payloadMode();
        if (mode.isChunked()) {
            return new PayloadReader(AwsChunkedDecoder.forRequest(auth, declaredLength(req)), null);
        }
        if (mode == PayloadMode.SIGNED_SHA256) {
            return new PayloadReader(null, PayloadHashVerifier.forRequest(auth));
        }
        return new PayloadReader(null, null);
    }

    /** {@code x-amz-decoded-content-length}, or -1. */
    static long declaredLength(S3Request req) {
        return Params.longHeader(req, "x-amz-decoded-content-length");
    }

    /** The payload length the client announced: the decoded length for aws-chunked, else Content-Length. */
    static long announcedLength(AuthResult auth, S3Request req) {
        if (auth.payloadMode().isChunked()) {
            return declaredLength(req);
        }
        return req.chunkedTransfer() ? -1 : Math.max(0, req.contentLength());
    }

    /** Consumes {@code wire}, passing payload bytes to {@code out} (possibly as slices of {@code wire}). */
    void feed(ByteBuffer wire, Consumer<ByteBuffer> out) {
        if (decoder != null) {
            decoder.feed(wire, b -> {
                decoded += b.remaining();
                out.accept(b);
            });
            return;
        }
        if (hash != null) {
            hash.update(wire);
        }
        decoded += wire.remaining();
        out.accept(wire);
    }

    /** Checks the end of the body and returns its trailers (empty unless aws-chunked with a trailer). */
    Trailers finish() {
        if (decoder != null) {
            return decoder.finish();
        }
        if (hash != null) {
            hash.finish();
        }
        return Trailers.empty();
    }

    long decodedLength() {
        return decoded;
    }
}
