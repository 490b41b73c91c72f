package io.tessera.engine.segment;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts the disk writes of a long record while its body still streams in: every {@link #STEP} bytes a
 * writer asks for a background {@code fdatasync} of its segment on this one thread. Without it the
 * whole body is written back only when the record is synced at the end, so the request waits for the
 * disk after the last byte arrived (about 7 ms per 8 MiB here) while the hashing core sits idle; with
 * it the final sync only has the tail left. At most one flush per segment is queued at a time.
 *
 * <p>Nobody waits for this thread: a writer's own sync does whatever the background flush has not done
 * yet. The thread is never interrupted (an interrupt would close the segment's channel).
 *
 * <p>Thread-safe.
 */
final class Writeback implements AutoCloseable {
    /** Bytes of a record between two flush requests. */
    static final long STEP = 2L << 20;

    private final ExecutorService thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "tessera-writeback");
                t.setDaemon(true);
                return t;
            });

    /** Queues a flush of {@code segment} unless one is queued already. */
    void request(ActiveSegment segment) {
        if (!segment.claimWriteback()) {
            return;
        }
        try {
            thread.execute(segment::writeBack);
        } catch (RejectedExecutionException e) {
            segment.writeBack(); // closing: flush here rather than leave the claim set
        }
    }

    /** Lets queued flushes finish; later requests flush on the caller's thread. */
    @Override
    public void close() {
        thread.shutdown();
    }
}
