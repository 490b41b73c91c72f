package io.tessera.server.netty;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * Limits of the HTTP layer: sizes, timeouts, and the bounds that keep a node serving when clients are
 * many, slow or hostile. Immutable; the {@code with*} methods return changed copies.
 *
 * @param maxInitialLineLength longest request line (path and query)
 * @param maxHeaderSize        largest header section
 * @param maxChunkSize         largest piece of body handed on at once
 * @param readWindowHigh       body bytes a connection may have in flight toward the disk before it stops reading
 * @param readWindowLow        ... and the level at which it reads again
 * @param drainLimit           an unwanted body with at most this many bytes left is read and discarded to keep
 *                             the connection; a longer one closes it
 * @param idleSeconds          a connection on which the client stays silent this long is closed
 * @param maxConnections       open client connections; a connection beyond them is closed as soon as accepted
 * @param headerTimeout        from the first byte of a request head, the time the client has to send all of it
 *                             (request line and headers); then it is answered 400 RequestTimeout and closed
 * @param bodyTimeout          how long a body may make no progress while the node reads it: the client is then
 *                             answered 400 RequestTimeout and the connection closed. Time during which the node
 *                             itself does not read (its read window is full, the request waits for admission)
 *                             does not count
 * @param bodyMinRate          bytes per second a body must average while the node reads it (0: no minimum);
 *                             each byte earns {@code 1/bodyMinRate} s of {@code bodyTimeout}, never more than it
 * @param maxBodies            request bodies other than small ones read at once (from the moment the S3 layer asks
 *                             for the body until answered). They hold no write lane while their client is silent
 * @param maxBodyMemory        bytes that admitted bodies may hold in memory at once; each reserves what its read
 *                             window can hold (or its length, when smaller)
 * @param maxBodyWaiters       requests with a body that may wait for admission; beyond them a request is
 *                             answered 503 SlowDown at once. A waiting request holds at most the body bytes that
 *                             arrived with its head (one socket read)
 * @param bodyAdmissionWait    the longest a request waits for admission before it is answered 503 SlowDown
 * @param maxClientShare       the share, in percent, of {@code maxBodies}, {@code maxBodyMemory} and
 *                             {@code maxBodyWaiters} that one client (an access key, or an address for requests
 *                             signed by none) may hold; its requests beyond it are answered 503 SlowDown, others'
 *                             are not held up by them
 * @param smallBodyLength      a body of announced length up to this is admitted by memory alone, outside
 *                             {@code maxBodies}: the engine group-commits it without a write lane (0: none is)
 * @param engineBodyMemory     the memory the engine holds for a large body of an announced length (-1: unknown)
 *                             beside its read window: the piece buffer it collects the body in before appending
 *                             it to a segment; counted in each large body's reservation
 * @param retryAfterSeconds    the {@code Retry-After} of every 503 answer
 * @param shutdownTimeout      how long a graceful shutdown lets requests in flight finish before it cuts them
 */
public record NettyLimits(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize, long readWindowHigh,
                          long readWindowLow, long drainLimit, int idleSeconds, int maxConnections,
                          Duration headerTimeout, Duration bodyTimeout, long bodyMinRate, int maxBodies,
                          long maxBodyMemory, int maxBodyWaiters, Duration bodyAdmissionWait, int maxClientShare,
                          long smallBodyLength, LongUnaryOperator engineBodyMemory, int retryAfterSeconds, Duration shutdownTimeout) {
    // The defaults of the bounds, as constants so that `tessera serve --help` prints the same numbers.
    public static final int DEFAULT_IDLE_SECONDS = 120;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_BODY_TIMEOUT_SECONDS = 30;
    public static final long DEFAULT_BODY_MIN_RATE = 1024;
    /** Bodies hold a write lane only while their bytes are written, so memory, not lanes, bounds them. */
    public static final int DEFAULT_MAX_BODIES = 256;
    public static final long DEFAULT_MAX_BODY_MEMORY_MIB = 512;
    /** A quarter: three other clients at full speed beside the busiest one, however many connections it opens. */
    public static final int DEFAULT_MAX_CLIENT_SHARE = 25;
    /**
     * Generous: an SDK client gives up retrying after about a hundred throttled attempts (its retry quota),
     * so a short wait serves clients far better than a SlowDown.
     */
    public static final int DEFAULT_MAX_BODY_WAITERS = 256;
    public static final int DEFAULT_BODY_ADMISSION_WAIT_SECONDS = 10;
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;
    /** Below the 30 s that service managers (systemd, Kubernetes) wait after SIGTERM before they kill. */
    public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 20;

    public NettyLimits {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(bodyAdmissionWait, "bodyAdmissionWait");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        positive(maxConnections, "maxConnections");
        positive(maxBodies, "maxBodies");
        positive(maxBodyMemory, "maxBodyMemory");
        positive(idleSeconds, "idleSeconds");
        Objects.requireNonNull(engineBodyMemory, "engineBodyMemory");
        if (maxBodyWaiters < 0 || bodyMinRate < 0 || retryAfterSeconds < 0 || smallBodyLength < 0) {
            throw new IllegalArgumentException("maxBodyWaiters, bodyMinRate, retryAfterSeconds and smallBodyLength"
                    + " must not be negative");
        }
        if (maxClientShare < 1 || maxClientShare > 100) {
            throw new IllegalArgumentException("maxClientShare must be 1..100 (percent), got " + maxClientShare);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()
                || bodyAdmissionWait.isNegative() || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    private static void positive(long v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    public static NettyLimits defaults() {
        return new NettyLimits(16 * 1024, 64 * 1024, 1 << 20, 4L << 20, 1L << 20, 8L << 20, DEFAULT_IDLE_SECONDS,
                DEFAULT_MAX_CONNECTIONS, Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_BODY_TIMEOUT_SECONDS), DEFAULT_BODY_MIN_RATE, DEFAULT_MAX_BODIES,
                DEFAULT_MAX_BODY_MEMORY_MIB << 20, DEFAULT_MAX_BODY_WAITERS,
                Duration.ofSeconds(DEFAULT_BODY_ADMISSION_WAIT_SECONDS), DEFAULT_MAX_CLIENT_SHARE, 0, length -> 0,
                DEFAULT_RETRY_AFTER_SECONDS,
                Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS));
    }

    /** These sizes and read window, with every other limit unchanged. */
    public NettyLimits withSizes(int initialLine, int headerSize, int chunkSize, long windowHigh, long windowLow,
                                 long drain) {
        return new NettyLimits(initialLine, headerSize, chunkSize, windowHigh, windowLow, drain, idleSeconds,
                maxConnections, headerTimeout, bodyTimeout, bodyMinRate, maxBodies, maxBodyMemory, maxBodyWaiters,
                bodyAdmissionWait,
                maxClientShare, smallBodyLength, engineBodyMemory, retryAfterSeconds, shutdownTimeout);
    }

    public NettyLimits withIdleSeconds(int seconds) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, seconds, maxConnections, headerTimeout, bodyTimeout, bodyMinRate, maxBodies, maxBodyMemory,
                maxBodyWaiters, bodyAdmissionWait,
                maxClientShare, smallBodyLength, engineBodyMemory, retryAfterSeconds, shutdownTimeout);
    }

    public NettyLimits withMaxConnections(int max) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, idleSeconds, max, headerTimeout, bodyTimeout, bodyMinRate, maxBodies, maxBodyMemory,
                maxBodyWaiters, bodyAdmissionWait,
                maxClientShare, smallBodyLength, engineBodyMemory, retryAfterSeconds, shutdownTimeout);
    }

    public NettyLimits withHeaderTimeout(Duration timeout) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, idleSeconds, maxConnections, timeout, bodyTimeout, bodyMinRate, maxBodies, maxBodyMemory,
                maxBodyWaiters, bodyAdmissionWait,
                maxClientShare, smallBodyLength, engineBodyMemory, retryAfterSeconds, shutdownTimeout);
    }

    public NettyLimits withBodyTimeout(Duration timeout, long minRate) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, idleSeconds, maxConnections, headerTimeout, timeout, minRate, maxBodies, maxBodyMemory,
                maxBodyWaiters, bodyAdmissionWait,
                maxClientShare, smallBodyLength, engineBodyMemory, retryAfterSeconds, shutdownTimeout);
    }

    public NettyLimits withBodyAdmission(int bodies, long memory, int waiters, Duration wait) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, idleSeconds, maxConnections, headerTimeout, bodyTimeout, bodyMinRate, bodies, memory,
                waiters, wait, maxClientShare, smallBodyLength, engineBodyMemory, retryAfterSeconds, shutdownTimeout);
    }

    public NettyLimits withRetryAfterSeconds(int seconds) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, idleSeconds, maxConnections, headerTimeout, bodyTimeout, bodyMinRate, maxBodies,
                maxBodyMemory, maxBodyWaiters, bodyAdmissionWait,
                maxClientShare, smallBodyLength, engineBodyMemory, seconds, shutdownTimeout);
    }

    public NettyLimits withShutdownTimeout(Duration timeout) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, idleSeconds, maxConnections, headerTimeout, bodyTimeout, bodyMinRate, maxBodies,
                maxBodyMemory, maxBodyWaiters, bodyAdmissionWait,
                maxClientShare, smallBodyLength, engineBodyMemory, retryAfterSeconds, timeout);
    }

    /** One client's share of the body admissions, in percent. */
    public NettyLimits withMaxClientShare(int percent) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, idleSeconds, maxConnections, headerTimeout, bodyTimeout, bodyMinRate, maxBodies,
                maxBodyMemory, maxBodyWaiters, bodyAdmissionWait, percent, smallBodyLength, engineBodyMemory,
                retryAfterSeconds, shutdownTimeout);
    }

    /** What the engine does with bodies: the small-body limit, and the memory it holds for a large one. */
    public NettyLimits withEngineBodies(long smallBody, LongUnaryOperator bodyMemory) {
        return new NettyLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, readWindowHigh, readWindowLow,
                drainLimit, idleSeconds, maxConnections, headerTimeout, bodyTimeout, bodyMinRate, maxBodies,
                maxBodyMemory, maxBodyWaiters, bodyAdmissionWait, maxClientShare, smallBody, bodyMemory,
                retryAfterSeconds, shutdownTimeout);
    }
}
