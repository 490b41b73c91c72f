package io.tessera.server.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.tessera.engine.FileSlice;
import io.tessera.server.http.BodyChunk;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.Headers;
import io.tessera.server.http.RequestIds;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Response;
import io.tessera.server.http.S3Service;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The connection pipeline on an {@link EmbeddedChannel}: 100-continue, backpressure, early answers, regions. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipelineTest {
    private static final NettyLimits LIMITS = NettyLimits.defaults()
            .withSizes(4096, 8192, 16 * 1024, 64 * 1024, 16 * 1024, 32 * 1024).withIdleSeconds(60);

    /** A service that reads every body into a list of held chunks, answering 200 at the end. */
    static final class HoldingService implements S3Service {
        final List<BodyChunk> held = new ArrayList<>();
        final List<S3Exchange> exchanges = new ArrayList<>();
        boolean ended;
        boolean aborted;
        boolean answerEarly;

        @Override
        public void onRequest(S3Exchange exchange) {
            exchanges.add(exchange);
            if (answerEarly) {
                exchange.respond(S3Response.status(404));
                return;
            }
            exchange.readBody(new BodySink() {
                @Override
                public void onChunk(BodyChunk chunk) {
                    held.add(chunk);
                }

                @Override
                public void onEnd(Headers trailers) {
                    ended = true;
                    exchange.respond(S3Response.ok());
                }

                @Override
                public void onAbort() {
                    aborted = true;
                }

                @Override
                public void onRefused(RuntimeException why) {
                    exchange.respond(S3Response.status(503));
                }
            });
        }

        long heldBytes() {
            return held.stream().mapToLong(BodyChunk::size).sum();
        }

        void releaseAll() {
            held.forEach(BodyChunk::release);
            held.clear();
        }
    }

    static EmbeddedChannel channel(S3Service service) {
        RequestIds ids = new RequestIds();
        return new EmbeddedChannel(new HttpServerCodec(), new ChunkedWriteHandler(),
                new S3RequestHandler(service, (req, t) -> S3Response.status(500), ids, Runnable::run,
                        new ListenerGuards(LIMITS)));
    }

    static String outbound(EmbeddedChannel ch) {
        StringBuilder b = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            if (o instanceof ByteBuf buf) {
                b.append(buf.toString(StandardCharsets.ISO_8859_1));
                buf.release();
            }
        }
        return b.toString();
    }

    static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void expectContinueGetsTheFullStatusLineOnlyOnceTheBodyIsWanted() {
        HoldingService svc = new HoldingService();
        EmbeddedChannel ch = channel(svc);
        ch.writeInbound(text("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
        assertThat(outbound(ch)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        ch.writeInbound(text("abc"));
        assertThat(svc.ended).isTrue();
        assertThat(svc.heldBytes()).isEqualTo(3);
        svc.releaseAll();
        String out = outbound(ch);
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("x-amz-request-id: ").contains("content-length: 0");
        ch.finishAndReleaseAll();
    }

    @Test
    void anEmptyBodyExpectingContinueIsAcknowledgedBeforeALateAnswer() {
        List<S3Exchange> pending = new ArrayList<>();
        EmbeddedChannel ch = channel(pending::add); // answers only once the request has fully arrived
        ch.writeInbound(text("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n"));
        assertThat(pending).hasSize(1);
        pending.get(0).respond(S3Response.ok());
        String out = outbound(ch);
        assertThat(out).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n");
        assertThat(out.split("100 Continue").length - 1).isEqualTo(1);
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void anEmptyBodyExpectingContinueIsAcknowledgedBeforeAnEarlyAnswerAndKeepsTheConnection() {
        HoldingService svc = new HoldingService();
        svc.answerEarly = true;
        EmbeddedChannel ch = channel(svc);
        ch.writeInbound(text("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n"
                + "HEAD /b/k HTTP/1.1\r\nHost: x\r\n\r\n"));
        String out = outbound(ch);
        assertThat(out).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404");
        assertThat(out.split("HTTP/1.1 404").length - 1).isEqualTo(2);
        assertThat(out).doesNotContain("connection: close");
        assertThat(svc.exchanges).hasSize(2);
        ch.finishAndReleaseAll();
    }

    @Test
    void readingStopsWhileTheSinkHoldsTooMuchAndResumesWhenReleased() {
        HoldingService svc = new HoldingService();
        EmbeddedChannel ch = channel(svc);
        int size = 200 * 1024;
        ch.writeInbound(text("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n"));
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[100 * 1024]));
        assertThat(svc.heldBytes()).isGreaterThanOrEqualTo(LIMITS.readWindowHigh());
        assertThat(ch.config().isAutoRead()).isFalse();
        svc.releaseAll();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[100 * 1024]));
        svc.releaseAll();
        ch.runPendingTasks();
        assertThat(svc.ended).isTrue();
        assertThat(outbound(ch)).startsWith("HTTP/1.1 200 OK");
        ch.finishAndReleaseAll();
    }

    @Test
    void anEarlyAnswerDrainsASmallBodyAndKeepsTheConnection() {
        HoldingService svc = new HoldingService();
        svc.answerEarly = true;
        EmbeddedChannel ch = channel(svc);
        ch.writeInbound(text("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789"
                + "GET /b/k HTTP/1.1\r\nHost: x\r\n\r\n"));
        String out = outbound(ch);
        assertThat(out.split("HTTP/1.1 404").length - 1).isEqualTo(2);
        assertThat(out).doesNotContain("connection: close");
        assertThat(ch.isOpen()).isTrue();
        assertThat(svc.exchanges).hasSize(2);
        ch.finishAndReleaseAll();
    }

    @Test
    void anEarlyAnswerToAnExpectingClientCloses() {
        HoldingService svc = new HoldingService();
        svc.answerEarly = true;
        EmbeddedChannel ch = channel(svc);
        ch.writeInbound(text("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n"));
        String out = outbound(ch);
        assertThat(out).startsWith("HTTP/1.1 404").contains("connection: close").doesNotContain("100 Continue");
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionLostMidBodyAbortsTheSink() {
        HoldingService svc = new HoldingService();
        EmbeddedChannel ch = channel(svc);
        ch.writeInbound(text("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        ch.close();
        assertThat(svc.aborted).isTrue();
        assertThat(svc.ended).isFalse();
        svc.releaseAll();
        ch.finishAndReleaseAll();
    }

    @Test
    void sliceRegionsNeverCloseTheEnginesChannel(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("seg");
        Files.write(f, new byte[4096]);
        try (FileChannel fc = FileChannel.open(f, StandardOpenOption.READ)) {
            SliceRegion r = new SliceRegion(new FileSlice(fc, 100, 1000));
            assertThat(r.count()).isEqualTo(1000);
            assertThat(r.position()).isEqualTo(100);
            assertThat(r.release()).isTrue();
            assertThat(fc.isOpen()).isTrue();
        }
    }
}
