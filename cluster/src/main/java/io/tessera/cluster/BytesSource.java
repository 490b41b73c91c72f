package io.tessera.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the bytes of one transfer ({@link ClusterNode#sendBytes}) come from, read by position so that
 * the sender needs no cursor of the caller's: the node's engine implements it over its local copy.
 *
 * <p>Thread-safety: one transfer calls it from one thread at a time, in increasing positions; the
 * implementation need not be thread-safe unless it is shared by several transfers.
 */
@FunctionalInterface
public interface BytesSource {
    /**
     * Reads bytes starting at {@code position} into {@code dst} (at most {@code dst.remaining()}).
     *
     * @return how many were read; -1 if the source ends before {@code position}
     */
    int read(ByteBuffer dst, long position) throws IOException;
}
