package io.tessera.server.netty;

/**
 * Limits of the HTTP layer.
 *
 * @param maxInitialLineLength longest request line (path and query)
 * @param maxHeaderSize        largest header section
 * @param maxChunkSize         largest piece of body handed on at once
 * @param readWindowHigh       body bytes a connection may have in flight toward the disk before it stops reading
 * @param readWindowLow        ... and the level at which it reads again
 * @param drainLimit           an unwanted body with at most this many bytes left is read and discarded to keep
 *                             the connection; a longer one closes it
 * @param idleSeconds          a connection on which the client stays silent this long is closed
 */
public record NettyLimits(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize, long readWindowHigh,
                          long readWindowLow, long drainLimit, int idleSeconds) {
    public static NettyLimits defaults() {
        return new NettyLimits(16 * 1024, 64 * 1024, 1 << 20, 4L << 20, 1L << 20, 8L << 20, 120);
    }
}
