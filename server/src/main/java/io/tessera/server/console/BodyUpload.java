package io.tessera.server.console;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.server.http.SerialExecutor;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Streams one request body from the console's page (an object or a part) into the engine. The channel reads
 * only when asked: one read when the writer is open and one after each piece is written, so a body
 * holds at most a read's worth of memory (and the engine's piece buffer) whatever its size. Opening the
 * writer, the writes (which may wait, bounded, for a write lane while they append a piece) and the commit
 * run in order on the console's blocking pool, never on the event loop.
 *
 * <p>{@link #chunk} and {@link #abandon} run on the connection's event loop; the answer is given there too,
 * exactly once: the result after a successful commit, or the failure (after which the connection closes,
 * the rest of the body unread). A body abandoned midway (the connection closed) is never committed.
 *
 * @param <R> what the commit returns
 */
final class BodyUpload<R> {
    private final ChannelHandlerContext ctx;
    private final SerialExecutor serial;
    private final Supplier<BodyWriter<R>> open;
    private final Function<R, ConsoleResponse> result;
    private final Consumer<Answer> answer;
    private BodyWriter<R> writer;
    private volatile boolean failed;

    /** The answer to give, and whether the connection must close after it. */
    record Answer(ConsoleResponse response, boolean close) {
    }

    /**
     * @param open   opens the writer (on the pool)
     * @param result the answer to a successful commit (on the pool)
     * @param answer gives the answer (on the event loop)
     */
    BodyUpload(ChannelHandlerContext ctx, Executor pool, Supplier<BodyWriter<R>> open, Function<R, ConsoleResponse> result,
               Consumer<Answer> answer) {
        this.ctx = ctx;
        this.serial = new SerialExecutor(pool);
        this.open = open;
        this.result = result;
        this.answer = answer;
    }

    /** Opens the writer, then asks the channel for the body. */
    void start() {
        serial.execute(() -> {
            try {
                writer = open.get();
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            ctx.executor().execute(ctx::read);
        });
    }

    /** Takes a piece of the body (and its reference). */
    void chunk(HttpContent c) {
        if (failed) {
            c.release();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        serial.execute(() -> {
            try {
                if (failed) {
                    return;
                }
                for (ByteBuffer b : c.content().nioBuffers()) {
                    writer.write(b);
                }
                if (last) {
                    R r = writer.commit(BodyExpectations.NONE);
                    ConsoleResponse ok = result.apply(r);
                    closeWriter();
                    ctx.executor().execute(() -> answer.accept(new Answer(ok, false)));
                } else {
                    ctx.executor().execute(ctx::read);
                }
            } catch (RuntimeException e) {
                fail(e);
            } finally {
                c.release();
            }
        });
    }

    /** The connection closed before the body ended: drop what was written. */
    void abandon() {
        failed = true;
        serial.execute(this::closeWriter);
    }

    /** Runs on the pool. */
    private void fail(RuntimeException e) {
        boolean first = !failed;
        failed = true;
        closeWriter();
        if (first) {
            ConsoleResponse r = ConsoleApi.failure(e);
            ctx.executor().execute(() -> answer.accept(new Answer(r, true)));
        }
    }

    private void closeWriter() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
