package io.tessera.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.ratis.statemachine.StateMachine;

/**
 * One incoming transfer on the receiving node: Ratis's DataStream and its channel over a
 * {@link BytesSink}. Ratis writes each packet here, then closes the channel with the last one; close
 * commits the sink (durable) only if exactly the announced length arrived, so a sender that gives up
 * half-way (it closes early) leaves nothing behind. {@code force} does nothing: commit is the one sync.
 *
 * <p>After the sink is committed or aborted, {@code forget} runs: it drops the stream from Ratis's
 * stream map, which would otherwise hold it until a log entry links it, and transfers make none.
 *
 * <p>Thread-safety: Ratis calls write/force/close of one stream in order, and cleanUp on failure
 * possibly from another thread; all are synchronized so that the sink sees one call at a time.
 */
final class ReceivedStream implements StateMachine.DataStream, StateMachine.DataChannel {
    private final BytesSink sink;
    private final long length;
    private final Runnable forget;
    private final Executor background;
    private long received;
    private boolean ended;

    /**
     * @param background where cleanUp aborts the sink: Ratis may call it on a Netty event loop, and an
     *                   abort deletes files and may wait for a write in progress
     */
    ReceivedStream(BytesSink sink, long length, Runnable forget, Executor background) {
        this.sink = sink;
        this.length = length;
        this.forget = forget;
        this.background = background;
    }

    @Override
    public StateMachine.DataChannel getDataChannel() {
        return this;
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        if (ended) {
            throw new IOException("the transfer has ended");
        }
        int n = src.remaining();
        if (received + n > length) {
            throw new IOException("the transfer carries more than its announced " + length + " bytes");
        }
        sink.write(src);
        if (src.hasRemaining()) {
            throw new IOException("the sink left " + src.remaining() + " bytes of a packet unwritten");
        }
        received += n;
        return n;
    }

    @Override
    public void force(boolean metadata) {
        // commit() makes the bytes durable, once, at close.
    }

    @Override
    public synchronized boolean isOpen() {
        return !ended;
    }

    @Override
    public synchronized void close() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (received != length) {
                sink.abort();
                throw new IOException("the transfer ended after " + received + " of its " + length + " bytes");
            }
            try {
                sink.commit();
            } catch (IOException | RuntimeException e) {
                sink.abort();
                throw e;
            }
        } finally {
            forget.run();
        }
    }

    @Override
    public CompletableFuture<?> cleanUp() {
        try {
            return CompletableFuture.runAsync(this::abortIfOpen, background);
        } catch (RejectedExecutionException closing) {
            abortIfOpen();
            return CompletableFuture.completedFuture(null);
        }
    }

    private void abortIfOpen() {
        synchronized (this) {
            if (!ended) {
                ended = true;
                sink.abort();
            }
        }
        forget.run();
    }
}
