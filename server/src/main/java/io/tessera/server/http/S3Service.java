package io.tessera.server.http;

/** What serves requests: called on the connection's network thread when a request's headers arrive. */
@FunctionalInterface
public interface S3Service {
    /** Must not block; must lead to exactly one {@link S3Exchange#respond}, now or later. */
    void onRequest(S3Exchange exchange);
}
