package io.tessera.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.Headers;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on a connection and its answer. All state lives on the channel's event loop; the two
 * public methods may be called from any thread and hop there.
 *
 * <p>Life of the body: until {@link #readBody} the body is not wanted yet (reading is paused, what
 * already arrived is kept); then it flows into the sink, paused whenever the sink holds more than the
 * read window; once answered, whatever is left of the body is discarded, or the connection is closed
 * when the client may not send it ({@code Expect: 100-continue} never acknowledged) or too much is
 * left ({@link NettyLimits#drainLimit()}).
 *
 * <p>A request with a body holds a {@link BodyAdmission.Ticket} from its admission until it is answered
 * (or its connection closes).
 */
final class NettyExchange implements S3Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(NettyExchange.class);

    private final S3RequestHandler handler;
    private final ChannelHandlerContext ctx;
    private final S3Request request;
    private final boolean keepAlive;
    private final ArrayDeque<HttpContent> queued = new ArrayDeque<>();
    private BodySink sink;
    private boolean bodyEnded;
    private Headers trailers = new Headers();
    private boolean responded;
    private boolean responseWritten;
    private boolean closeAfter;
    private boolean discarding;
    private boolean continueSent;
    private boolean closed;
    private long received;
    private long discarded;
    private boolean sinkAbortedByNode;
    private BodyAdmission.Ticket ticket;

    NettyExchange(S3RequestHandler handler, ChannelHandlerContext ctx, S3Request request, boolean keepAlive,
                  boolean bodyEnded) {
        this.handler = handler;
        this.ctx = ctx;
        this.request = request;
        this.keepAlive = keepAlive;
        this.bodyEnded = bodyEnded;
    }

    @Override
    public S3Request request() {
        return request;
    }

    @Override
    public void readBody(BodySink s) {
        onLoop(() -> doReadBody(s), s::onAbort);
    }

    @Override
    public void respond(S3Response response) {
        onLoop(() -> doRespond(response), () -> {
            discardBody(response);
            response.reportSent(false);
        });
    }

    private void onLoop(Runnable r, Runnable ifRejected) {
        if (ctx.executor().inEventLoop()) {
            r.run();
            return;
        }
        try {
            ctx.executor().execute(r);
        } catch (RejectedExecutionException e) {
            ifRejected.run();
        }
    }

    private static void discardBody(S3Response response) {
        if (response.body() instanceof S3Response.Content c) {
            c.content().close();
        }
    }

    /** The body was admitted: {@code t} is given back once answered. Event loop only. */
    void admitted(BodyAdmission.Ticket t) {
        if (responded || closed) {
            t.release();
        } else {
            ticket = t;
        }
    }

    private void releaseTicket() {
        if (ticket != null) {
            ticket.release();
            ticket = null;
        }
    }

    /** The client stalled while sending the body: answer 400 RequestTimeout and close (or just close). */
    void timedOut() {
        LOG.debug("request {}: the body stalled after {} bytes", request, received);
        if (responded) {
            ctx.close();
            return;
        }
        closeAfter = true;
        doRespond(handler.errors().toResponse(request, new S3Exception(S3ErrorCode.REQUEST_TIMEOUT)));
    }

    private void doReadBody(BodySink s) {
        if (sink != null) {
            throw new IllegalStateException("readBody called twice for " + request);
        }
        if (responded || closed) {
            s.onAbort();
            return;
        }
        sink = s;
        if (request.expectContinue() && !bodyEnded && received == 0 && queued.isEmpty()) {
            continueSent = true;
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        HttpContent c;
        while ((c = queued.poll()) != null) {
            deliver(c);
        }
        if (bodyEnded) {
            s.onEnd(trailers);
        }
        handler.updateRead();
    }

    /** The next piece of this request's body, from the decoder. */
    void onContent(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            c.release();
            onBrokenBody(c.decoderResult().cause());
            return;
        }
        int n = c.content().readableBytes();
        received += n;
        boolean last = c instanceof LastHttpContent;
        if (last) {
            trailers = NettyRequests.headers(((LastHttpContent) c).trailingHeaders());
        }
        if (closed) {
            c.release();
        } else if (discarding) {
            discarded += n;
            c.release();
        } else if (sink != null) {
            deliver(c);
        } else {
            queued.add(c);
        }
        if (last) {
            bodyEnded = true;
            if (sink != null && !discarding && !closed) {
                sink.onEnd(trailers);
            }
            if (responseWritten) {
                handler.exchangeDone(this);
            }
        }
    }

    private void deliver(HttpContent c) {
        ByteBuf buf = c.content();
        if (!buf.isReadable()) {
            c.release();
            return;
        }
        handler.window().debit(buf.readableBytes());
        sink.onChunk(new NettyBodyChunk(buf, handler.window()));
    }

    /** The framing of the body was broken (bad chunk size, for instance): answer and close. */
    private void onBrokenBody(Throwable cause) {
        LOG.debug("request {}: malformed body framing", request, cause);
        closeAfter = true;
        if (!responded) {
            doRespond(handler.errors().toResponse(request,
                    new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "The request body could not be decoded.")));
        } else {
            ctx.close();
        }
    }

    private void doRespond(S3Response response) {
        if (responded) {
            if (sinkAbortedByNode) { // the aborted sink's own failure answer: expected, and useless now
                LOG.debug("request {}: late answer {} after the node gave up the body", request, response.statusCode());
            } else {
                LOG.warn("request {} answered twice; the second answer ({}) is dropped", request,
                        response.statusCode());
            }
            discardBody(response);
            response.reportSent(false);
            return;
        }
        responded = true;
        releaseTicket();
        if (closed) {
            discardBody(response);
            response.reportSent(false);
            return;
        }
        HttpContent c;
        while ((c = queued.poll()) != null) { // a body that was never asked for
            discarded += c.content().readableBytes();
            c.release();
        }
        if (!bodyEnded) {
            if (sink != null) {
                BodySink s = sink;
                sink = null;
                sinkAbortedByNode = true;
                s.onAbort();
            }
            discarding = true;
            if (request.hasBody() && request.expectContinue() && !continueSent) {
                closeAfter = true; // the client may or may not send the body now: only closing is safe
            } else if (request.chunkedTransfer()
                    || request.contentLength() - received > handler.limits().drainLimit()) {
                closeAfter = true;
            }
        }
        if (!keepAlive || handler.draining()) {
            closeAfter = true;
        }
        if (request.expectContinue() && !continueSent && !request.hasBody()) {
            // RFC 9110 lets a server skip the 100 for an empty body, but botocore (aws cli, boto3) then keeps this
            // final status line for the next expecting request on the connection and misreads that answer: a
            // read-timeout stall, then a retry (boto/botocore#3755). Acknowledging costs one line.
            continueSent = true;
            ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        ChannelFuture written = write(response);
        written.addListener(f -> {
            response.reportSent(f.isSuccess());
            responseWritten = true;
            if (!f.isSuccess() || closeAfter) {
                ctx.close();
            } else if (bodyEnded) {
                handler.exchangeDone(this);
            }
        });
        handler.updateRead();
    }

    /**
     * Writes the answer. One that cannot be encoded (a header no HTTP message may carry) releases its
     * content and is replaced by a 500 on a closing connection: nothing of it was written yet.
     */
    private ChannelFuture write(S3Response response) {
        try {
            return ResponseWriter.write(ctx, request, response, handler.hostId(), closeAfter, handler.blockingPool());
        } catch (RuntimeException e) {
            LOG.error("request {}: the answer {} could not be written", request, response, e);
            discardBody(response);
            closeAfter = true;
            try {
                return ResponseWriter.write(ctx, request, handler.errors().toResponse(request,
                        new S3Exception(S3ErrorCode.INTERNAL_ERROR)), handler.hostId(), true, handler.blockingPool());
            } catch (RuntimeException again) {
                LOG.error("request {}: the error answer could not be written either", request, again);
                return ctx.close();
            }
        }
    }

    /** The connection closed. */
    void onChannelClosed() {
        closed = true;
        releaseTicket();
        HttpContent c;
        while ((c = queued.poll()) != null) {
            c.release();
        }
        if (sink != null && !bodyEnded) {
            BodySink s = sink;
            sink = null;
            s.onAbort();
        }
    }

    boolean bodyEnded() {
        return bodyEnded;
    }

    boolean answered() {
        return responded;
    }

    /** Whether the connection, when it reads, waits on the client for this request's body. */
    boolean awaitsClientBody() {
        return !closed && !bodyEnded && !(responded && closeAfter);
    }

    /** Whether the connection should read now for this exchange. */
    boolean wantsRead() {
        if (closed || bodyEnded) {
            return false;
        }
        if (discarding) {
            return true;
        }
        return sink != null && !handler.window().full();
    }

    /** True while the node, not the client, owes the next step (an idle connection is then fine). */
    boolean nodeIsWorking() {
        if (responded) {
            return false;
        }
        return sink == null || bodyEnded || handler.window().inFlight() > 0;
    }

    @Override
    public String toString() {
        return request.toString();
    }
}
