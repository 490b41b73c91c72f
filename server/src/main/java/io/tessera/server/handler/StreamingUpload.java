package io.tessera.server.handler;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.Engine;
import io.tessera.server.auth.Trailers;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.BodyChunk;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.Headers;
import io.tessera.server.http.S3Response;
import io.tessera.server.http.SerialExecutor;
import java.util.function.Function;

/**
 * Streams a PutObject or UploadPart body into an engine {@link BodyWriter}. Every step runs on the
 * engine's I/O threads, one at a time and in arrival order ({@link SerialExecutor}): decoding and
 * proving the payload ({@link PayloadReader}), hashing and writing it, then at the end checking the
 * trailers and committing. Each chunk is released as soon as it was written, which lets the connection
 * read on: memory stays bounded by the read window whatever the body size. If the body fails or the
 * connection dies, the writer is closed, which abandons the bytes and frees the memory they held.
 *
 * <p>A small body of announced length (collected whole and group-committed by the engine) is read at once and its writer
 * begun as the first of these steps ({@link #beginning}): no hop to an I/O thread and back before the
 * client may send it.
 *
 * @param <R> what the commit returns
 */
final class StreamingUpload<R> implements BodySink {
    private final Call call;
    private BodyWriter<R> writer;
    private final PayloadReader payload;
    private final Function<Trailers, BodyExpectations> expectations;
    private final Function<R, S3Response> answer;
    private final SerialExecutor serial;
    private boolean done;

    StreamingUpload(Call call, BodyWriter<R> writer, PayloadReader payload,
                    Function<Trailers, BodyExpectations> expectations, Function<R, S3Response> answer) {
        this.call = call;
        this.writer = writer;
        this.payload = payload;
        this.expectations = expectations;
        this.answer = answer;
        this.serial = new SerialExecutor(call.ctx().io());
    }

    /**
     * An upload whose writer {@code begin} starts on an I/O thread, in order before its first chunk; a
     * failure to begin is the answer. The caller then reads the body into it.
     */
    static <R> StreamingUpload<R> beginning(Call call, Function<Engine, BodyWriter<R>> begin, PayloadReader payload,
                                            Function<Trailers, BodyExpectations> expectations,
                                            Function<R, S3Response> answer) {
        StreamingUpload<R> up = new StreamingUpload<>(call, null, payload, expectations, answer);
        up.serial.execute(() -> {
            try {
                up.writer = begin.apply(call.ctx().engine().engine());
            } catch (Throwable t) {
                up.failWith(t);
            }
        });
        return up;
    }

    @Override
    public void onChunk(BodyChunk chunk) {
        serial.execute(() -> {
            try {
                if (!done) {
                    payload.feed(chunk.buffer(), writer::write);
                }
            } catch (Throwable t) {
                failWith(t);
            } finally {
                chunk.release();
            }
        });
    }

    @Override
    public void onEnd(Headers httpTrailers) {
        serial.execute(() -> {
            if (done) {
                return;
            }
            done = true;
            try {
                Trailers t = payload.finish();
                R result = writer.commit(expectations.apply(t));
                call.respond(answer.apply(result));
            } catch (Throwable t) {
                call.fail(t);
            } finally {
                writer.close();
            }
        });
    }

    @Override
    public void onAbort() {
        serial.execute(() -> {
            if (!done) {
                done = true;
                writer.close();
                call.fail(new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "The connection closed before the body ended."));
            }
        });
    }

    @Override
    public void onRefused(RuntimeException why) {
        serial.execute(() -> failWith(why));
    }

    private void failWith(Throwable t) {
        if (!done) {
            done = true;
            if (writer != null) {
                writer.close();
            }
            call.fail(t);
        }
    }
}
