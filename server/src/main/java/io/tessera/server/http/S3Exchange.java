package io.tessera.server.http;

/**
 * One request and its answer, as the network layer offers it to the S3 layers. The request's body
 * is not read until {@link #readBody} is called (that is also when a client that sent
 * {@code Expect: 100-continue} is told to go on), so a request can be refused before its body
 * travels. Every exchange gets exactly one {@link #respond}. Both methods may be called from any
 * thread.
 */
public interface S3Exchange {
    S3Request request();

    /**
     * Starts streaming the body into {@code sink} (sending {@code HTTP/1.1 100 Continue} first if the
     * client waits for it). If the exchange was already answered or the connection is gone, the sink
     * gets {@link BodySink#onAbort()} at once.
     */
    void readBody(BodySink sink);

    /**
     * Sends the answer. An answer given before the body was read means the body is not wanted: the
     * network layer discards it or closes the connection, as HTTP requires. Later calls are ignored.
     */
    void respond(S3Response response);

    /**
     * Tells the node's metrics and access log what the request turned out to be, once it has been
     * authenticated and routed (or as far as that got). Changes nothing about the answer; a no-op unless
     * the exchange is observed.
     */
    default void describe(RequestFacts facts) {
    }
}
