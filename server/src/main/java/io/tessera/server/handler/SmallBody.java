package io.tessera.server.handler;

import io.tessera.server.auth.Trailers;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.BodyChunk;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.Headers;
import io.tessera.server.http.S3Response;
import io.tessera.server.xml.S3Xml;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Collects a small request body (an XML document) on the event loop, then, on an I/O thread, decodes
 * and proves it ({@link PayloadReader}) and hands it to the handler. Bodies over the limit are refused
 * as soon as they pass it.
 */
final class SmallBody implements BodySink {
    /** Wire bytes allowed: the payload limit plus room for aws-chunked framing. */
    private static final int MAX_WIRE_BYTES = 2 * S3Xml.MAX_REQUEST_BYTES;

    private final Call call;
    private final PayloadReader payload;
    private final Call.SmallBodyHandler handler;
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private boolean failed;

    SmallBody(Call call, PayloadReader payload, Call.SmallBodyHandler handler) {
        this.call = call;
        this.payload = payload;
        this.handler = handler;
    }

    @Override
    public void onChunk(BodyChunk chunk) {
        try {
            if (failed) {
                return;
            }
            if (wire.size() + chunk.size() > MAX_WIRE_BYTES) {
                failed = true;
                call.fail(tooBig());
                return;
            }
            ByteBuffer b = chunk.buffer();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            wire.writeBytes(bytes);
        } finally {
            chunk.release();
        }
    }

    @Override
    public void onEnd(Headers trailers) {
        if (failed) {
            return;
        }
        byte[] raw = wire.toByteArray();
        call.engine(engine -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
            payload.feed(ByteBuffer.wrap(raw), b -> {
                if (out.size() + b.remaining() > S3Xml.MAX_REQUEST_BYTES) {
                    throw tooBig();
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.writeBytes(chunk);
            });
            Trailers t = payload.finish();
            S3Response r = handler.handle(engine, out.toByteArray(), t);
            return r;
        });
    }

    @Override
    public void onAbort() {
        if (!failed) {
            failed = true;
            call.fail(new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "The connection closed before the body ended."));
        }
    }

    @Override
    public void onRefused(RuntimeException why) {
        if (!failed) {
            failed = true;
            call.fail(why);
        }
    }

    private static S3Exception tooBig() {
        return new S3Exception(S3ErrorCode.MAX_MESSAGE_LENGTH_EXCEEDED)
                .with("MaxMessageLengthBytes", Integer.toString(S3Xml.MAX_REQUEST_BYTES));
    }
}
