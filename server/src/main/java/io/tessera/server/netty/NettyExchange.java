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
import io.netty.util.concurrent.ScheduledFuture;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.Headers;
import io.tessera.server.http.RequestFacts;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 * <p>A body is read only once {@link BodyAdmission} admits it, which is asked when the S3 layer first
 * wants the body: after the request was authenticated, so that its room is counted against the share of
 * the access key that signed it (or of its address when none did), and before {@code 100 Continue}. It
 * holds the {@link BodyAdmission.Ticket} until answered (or its connection closes); a request that cannot
 * be admitted within {@link NettyLimits#bodyAdmissionWait()} is answered 503 SlowDown.
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
    /** The verified access key that signed the request, once the S3 layer described it. */
    private volatile String accessKeyId;
    /** The sink that waits for the body's admission, with its place in the queue and its deadline. */
    private BodySink awaitingAdmission;
    private BodyAdmission.Wait admissionWait;
    private ScheduledFuture<?> admissionDeadline;

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
    public void describe(RequestFacts facts) {
        accessKeyId = facts.accessKeyId();
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
        if (sink != null || awaitingAdmission != null) {
            throw new IllegalStateException("readBody called twice for " + request);
        }
        if (responded || closed) {
            s.onAbort();
            return;
        }
        if (!request.hasBody()) {
            startReading(s);
            return;
        }
        BodyAdmission.Outcome o = handler.guards().bodies().request(admissionRequest(),
                t -> onLoop(() -> admittedLater(t), t::release));
        if (o.ticket() != null) {
            ticket = o.ticket();
            startReading(s);
        } else if (o.queued() != null) {
            awaitingAdmission = s;
            admissionWait = o.queued();
            admissionDeadline = ctx.executor().schedule(this::admissionTimedOut,
                    handler.limits().bodyAdmissionWait().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            refuseBody(s, new S3Exception(S3ErrorCode.SLOW_DOWN));
        }
    }

    /**
     * What the body asks of the admission: its client, the memory it may hold (the read window and one socket
     * read, and the piece the engine buffers; each at most the body's length) and whether the engine takes it
     * as small (then it holds the body whole, once).
     */
    private BodyAdmission.Request admissionRequest() {
        NettyLimits limits = handler.limits();
        long window = limits.readWindowHigh() + NettyListener.MAX_READ_BYTES;
        boolean known = !request.chunkedTransfer() && request.contentLength() >= 0;
        long announced = known ? request.contentLength() : -1;
        String decoded = request.header("x-amz-decoded-content-length"); // aws-chunked: the payload's own length
        if (decoded != null) {
            try {
                announced = Long.parseLong(decoded.trim());
            } catch (NumberFormatException e) {
                announced = -1; // the S3 layer refuses it; here it is just not small
            }
        }
        boolean small = announced >= 0 && announced <= limits.smallBodyLength();
        long length = known ? request.contentLength() : Long.MAX_VALUE;
        long reserve = small ? Math.min(length, window)
                : Math.min(length, window) + limits.engineBodyMemory().applyAsLong(announced);
        return new BodyAdmission.Request(client(), reserve, small);
    }

    /** Whose share the body counts against: the key that signed it, or else the address it came from. */
    private String client() {
        String key = accessKeyId;
        if (key != null) {
            return "key " + key;
        }
        SocketAddress remote = ctx.channel().remoteAddress();
        return remote instanceof InetSocketAddress a && a.getAddress() != null
                ? "address " + a.getAddress().getHostAddress() : "address " + remote;
    }

    private void admittedLater(BodyAdmission.Ticket t) {
        if (admissionWait == null || responded || closed) {
            t.release();
            return;
        }
        admissionWait = null;
        cancelDeadline();
        ticket = t;
        BodySink s = awaitingAdmission;
        awaitingAdmission = null;
        startReading(s);
    }

    private void admissionTimedOut() {
        refuseWaitingBody(new S3Exception(S3ErrorCode.SLOW_DOWN));
    }

    /** Refuses the body that waits for admission, unless its ticket was granted meanwhile. */
    private void refuseWaitingBody(S3Exception why) {
        if (admissionWait != null && admissionWait.cancel()) {
            admissionWait = null;
            cancelDeadline();
            BodySink s = awaitingAdmission;
            awaitingAdmission = null;
            refuseBody(s, why);
        }
    }

    /**
     * Refuses a body that could not be admitted: the sink answers with {@code why} through every layer
     * around this exchange (its metrics, access log and the count of requests in flight see it).
     */
    private void refuseBody(BodySink s, S3Exception why) {
        handler.guards().bodyRefused(request);
        s.onRefused(why);
    }

    /** Leaves the admission queue, if waiting there; the waiting sink is returned, to be aborted. */
    private BodySink leaveAdmission() {
        cancelDeadline();
        if (admissionWait != null) {
            admissionWait.cancel();
            admissionWait = null;
        }
        BodySink s = awaitingAdmission;
        awaitingAdmission = null;
        return s;
    }

    private void cancelDeadline() {
        if (admissionDeadline != null) {
            admissionDeadline.cancel(false);
            admissionDeadline = null;
        }
    }

    /** A graceful shutdown began: a body still waiting for admission is refused now. Event loop only. */
    void drain() {
        refuseWaitingBody(new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The node is shutting down."));
    }

    private void startReading(BodySink s) {
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
        BodySink waited = leaveAdmission();
        if (waited != null) { // answered before its body was admitted: the sink never gets it
            sinkAbortedByNode = true;
            waited.onAbort();
        }
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
        BodySink waited = leaveAdmission();
        if (waited != null) {
            waited.onAbort();
        }
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
