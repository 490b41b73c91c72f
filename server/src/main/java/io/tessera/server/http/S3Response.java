package io.tessera.server.http;

import io.tessera.engine.ObjectContent;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An answer: status, headers and one of four kinds of body. The network layer adds
 * {@code Content-Length}, {@code Date}, {@code Server} and the request id headers. Two facts travel
 * beside it and never reach the wire, for the node's metrics and access log: the S3 error code of an
 * error answer, and a listener told once whether the answer was written out in full.
 */
public final class S3Response {
    /** What follows the headers. */
    public sealed interface Body permits Empty, Bytes, Content, LengthOnly {
    }

    /** No body, {@code Content-Length: 0}. */
    public record Empty() implements Body {
    }

    /** Told once, on any thread, whether the whole answer was written ({@code false}: it was not sent or cut). */
    @FunctionalInterface
    public interface SentListener {
        void sent(boolean complete);
    }

    /** A small body held in memory (XML documents). */
    public record Bytes(byte[] data) implements Body {
    }

    /**
     * Object bytes straight from the segment files (zero-copy where the transport allows). The network
     * layer closes the content once it has been sent or the connection died.
     */
    public record Content(ObjectContent content) implements Body {
    }

    /** The answer to HEAD: {@code Content-Length} of what GET would send, and no body. */
    public record LengthOnly(long length) implements Body {
    }

    private static final Body EMPTY = new Empty();

    private final int status;
    private final Headers headers = new Headers();
    private Body body = EMPTY;
    private String errorCode;
    private SentListener sentListener;
    private final AtomicBoolean sentReported = new AtomicBoolean();

    private S3Response(int status) {
        this.status = status;
    }

    public static S3Response status(int status) {
        return new S3Response(status);
    }

    public static S3Response ok() {
        return new S3Response(200);
    }

    /** 204 No Content. */
    public static S3Response noContent() {
        return new S3Response(204);
    }

    /** An XML document body with {@code Content-Type: application/xml}. */
    public static S3Response xml(int status, byte[] document) {
        return new S3Response(status).header("Content-Type", "application/xml").body(new Bytes(document));
    }

    public int statusCode() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    public Body body() {
        return body;
    }

    public S3Response body(Body b) {
        this.body = Objects.requireNonNull(b, "body");
        return this;
    }

    /** Sets a header; a null value leaves the response unchanged. */
    public S3Response header(String name, String value) {
        if (value != null) {
            headers.set(name, value);
        }
        return this;
    }

    /** Marks an error answer with its S3 error code (e.g. {@code SlowDown}). */
    public S3Response errorCode(String code) {
        this.errorCode = code;
        return this;
    }

    /** The S3 error code of an error answer, or null. */
    public String errorCode() {
        return errorCode;
    }

    /** Sets who is told when this answer has been written out (or could not be); one listener. */
    public S3Response whenSent(SentListener listener) {
        this.sentListener = listener;
        return this;
    }

    /** Called by the network layer once the answer's last byte was written, or once it will never be. */
    public void reportSent(boolean complete) {
        SentListener l = sentListener;
        if (l != null && sentReported.compareAndSet(false, true)) {
            l.sent(complete);
        }
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + body.getClass().getSimpleName();
    }
}
