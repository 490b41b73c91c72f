package io.tessera.server.http;

import io.tessera.engine.ObjectContent;
import java.util.Objects;

/**
 * An answer: status, headers and one of four kinds of body. The network layer adds
 * {@code Content-Length}, {@code Date}, {@code Server} and the request id headers.
 */
public final class S3Response {
    /** What follows the headers. */
    public sealed interface Body permits Empty, Bytes, Content, LengthOnly {
    }

    /** No body, {@code Content-Length: 0}. */
    public record Empty() implements Body {
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

    @Override
    public String toString() {
        return status + " " + headers + " " + body.getClass().getSimpleName();
    }
}
