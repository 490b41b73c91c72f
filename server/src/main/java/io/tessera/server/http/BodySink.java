package io.tessera.server.http;

/**
 * Receives one request body as it streams in. All methods are called on the connection's network
 * thread, in order, and must not block: hand work to another executor. After {@link #onEnd},
 * {@link #onAbort} or {@link #onRefused} nothing more arrives.
 */
public interface BodySink {
    /** The next bytes of the body; the sink owns {@code chunk} and must release it. */
    void onChunk(BodyChunk chunk);

    /** The body ended; {@code trailers} holds trailing HTTP headers of a chunked body (often empty). */
    void onEnd(Headers trailers);

    /**
     * The body will never end: the connection closed, or the exchange was answered before the body was
     * read. Release what is held; answering is no longer useful.
     */
    void onAbort();

    /**
     * The node will not read the body (it could not be admitted in time, or the node is shutting down):
     * release what is held and answer the exchange with {@code why}, through the same path as any other
     * answer, so that everything wrapped around the exchange sees it.
     */
    void onRefused(RuntimeException why);
}
