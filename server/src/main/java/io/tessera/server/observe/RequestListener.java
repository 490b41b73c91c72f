package io.tessera.server.observe;

/**
 * Told about every finished S3 request. Called on a network thread once the answer was written: must
 * be quick and must not block (hand slow work, such as writing to a file, to another thread).
 */
@FunctionalInterface
public interface RequestListener {
    void completed(RequestRecord request);
}
