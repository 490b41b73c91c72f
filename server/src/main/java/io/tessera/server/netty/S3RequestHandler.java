package io.tessera.server.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.ErrorResponder;
import io.tessera.server.http.Headers;
import io.tessera.server.http.RequestIds;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Service;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline: turns the decoder's {@link HttpRequest} and
 * {@link HttpContent} messages into {@link NettyExchange}s offered to the {@link S3Service}, one
 * request at a time. Requests a client pipelines behind the current one are held until it has been
 * answered. It owns the connection's reading: auto-read is on only while the current exchange wants
 * body bytes and its read window has room, or while waiting for the next request.
 *
 * <p>It also holds the client to the limits: a request head must arrive within
 * {@link NettyLimits#headerTimeout()} of its first byte; a body is read only once {@link BodyAdmission}
 * admits it (see {@link NettyExchange}); it is timed by a {@link BodyTimer} while the connection reads for
 * it (400 RequestTimeout when the client stalls). On
 * {@link #DRAIN} (graceful shutdown) an idle connection closes at once, a busy one after its answer.
 *
 * <p>One instance per connection; all methods run on its event loop.
 */
final class S3RequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(S3RequestHandler.class);
    /** The user event that starts a graceful shutdown of the connection. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };
    /** How long a connection being cut may take to send its last tiny answer before it is closed anyway. */
    static final long CLOSE_GRACE_MILLIS = 2000;

    private final S3Service service;
    private final ErrorResponder errors;
    private final RequestIds ids;
    private final Executor blockingPool;
    private final ListenerGuards guards;
    private final NettyLimits limits;
    private final ArrayDeque<HttpObject> pipelined = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ReadWindow window;
    private BodyTimer bodyTimer;
    private NettyExchange current;
    private boolean replaying;
    private boolean decodedThisRead;
    private boolean draining;
    private ScheduledFuture<?> headDeadline;

    S3RequestHandler(S3Service service, ErrorResponder errors, RequestIds ids, Executor blockingPool,
                     ListenerGuards guards) {
        this.service = service;
        this.errors = errors;
        this.ids = ids;
        this.blockingPool = blockingPool;
        this.guards = guards;
        this.limits = guards.limits();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.window = new ReadWindow(limits.readWindowHigh(), limits.readWindowLow(),
                () -> ctx.executor().execute(this::updateRead));
        this.bodyTimer = new BodyTimer(ctx.executor(), limits.bodyTimeout(), limits.bodyMinRate(), this::bodyTimedOut);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject o)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        decodedThisRead = true;
        if (o instanceof HttpRequest) {
            cancel(headDeadline);
            headDeadline = null;
        }
        if (o instanceof HttpContent c) {
            bodyTimer.received(c.content().readableBytes());
        }
        if (!pipelined.isEmpty() || (current != null && current.bodyEnded())) {
            pipelined.add(o);
        } else {
            handle(o);
        }
        updateRead();
    }

    private void handle(HttpObject o) {
        if (o instanceof HttpRequest req) {
            startExchange(req);
            if (o instanceof HttpContent c) {
                if (current != null) {
                    current.onContent(c);
                } else {
                    c.release();
                }
            }
        } else if (o instanceof HttpContent c) {
            if (current != null) {
                current.onContent(c);
            } else {
                c.release();
            }
        }
    }

    private void startExchange(HttpRequest req) {
        String id = ids.next();
        if (req.decoderResult().isFailure()) {
            badRequest(req, id);
            return;
        }
        S3Request request;
        try {
            request = NettyRequests.toS3(req, id);
        } catch (RuntimeException e) {
            badRequest(req, id);
            return;
        }
        current = new NettyExchange(this, ctx, request, HttpUtil.isKeepAlive(req), false);
        bodyTimer.reset();
        offer(current);
    }

    private void offer(NettyExchange ex) {
        try {
            service.onRequest(ex);
        } catch (Throwable t) {
            ex.respond(errors.toResponse(ex.request(), t));
        }
    }

    /** A request the decoder could not parse: answer 400 and close. */
    private void badRequest(HttpRequest req, String id) {
        Throwable cause = req.decoderResult().cause();
        LOG.debug("undecodable request on {}", ctx.channel(), cause);
        S3Exception e = cause instanceof TooLongFrameException
                ? new S3Exception(S3ErrorCode.REQUEST_HEADER_SECTION_TOO_LARGE)
                : new S3Exception(S3ErrorCode.INVALID_REQUEST, "The request could not be parsed as HTTP/1.1.");
        answerUnreadAndClose(id, e);
    }

    /** Answers a request whose head never arrived whole, then closes the connection. */
    private void answerUnreadAndClose(String id, S3Exception e) {
        S3Request request = new S3Request("GET", "/", new Headers(), id, 0, false, false, Instant.now());
        current = new NettyExchange(this, ctx, request, false, true);
        current.respond(errors.toResponse(request, e));
    }

    // ---- timeouts ----

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Bytes arrived but no message came of them while waiting for a request: a head has begun.
        if (!decodedThisRead && current == null && pipelined.isEmpty() && headDeadline == null
                && ctx.channel().isActive()) {
            headDeadline = ctx.executor().schedule(this::headTimedOut, limits.headerTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        decodedThisRead = false;
        ctx.fireChannelReadComplete();
    }

    private void headTimedOut() {
        headDeadline = null;
        if (current != null || !pipelined.isEmpty() || !ctx.channel().isActive()) {
            return;
        }
        guards.headerTimedOut(ctx.channel().remoteAddress());
        answerUnreadAndClose(ids.next(), new S3Exception(S3ErrorCode.REQUEST_TIMEOUT));
        closeSoon();
    }

    private void bodyTimedOut() {
        NettyExchange ex = current;
        if (ex == null || !ctx.channel().isActive()) {
            return;
        }
        guards.bodyTimedOut(ex.request());
        ex.timedOut();
        closeSoon();
    }

    /** Closes the connection after a grace period, in case its last answer cannot leave. */
    private void closeSoon() {
        ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ---- graceful shutdown ----

    private void startDraining() {
        draining = true;
        if (current == null && pipelined.isEmpty()) {
            ctx.close();
            return;
        }
        if (current != null) {
            current.drain();
        }
    }

    /** Whether the connection closes after the current answer (the node is shutting down). */
    boolean draining() {
        return draining;
    }

    /** Called when an exchange has been answered and its body fully consumed. */
    void exchangeDone(NettyExchange ex) {
        if (current != ex) {
            return;
        }
        current = null;
        if (draining) {
            ctx.close();
            return;
        }
        replayPipelined();
        updateRead();
    }

    private void replayPipelined() {
        if (replaying) {
            return;
        }
        replaying = true;
        try {
            while (!pipelined.isEmpty() && (current == null || !current.bodyEnded())) {
                handle(pipelined.poll());
            }
        } finally {
            replaying = false;
        }
    }

    /** Turns auto-read on or off to match what the connection is waiting for. */
    void updateRead() {
        if (ctx == null || !ctx.channel().isActive()) {
            return;
        }
        boolean want = pipelined.isEmpty() && (current == null || current.wantsRead());
        if (ctx.channel().config().isAutoRead() != want) {
            ctx.channel().config().setAutoRead(want);
        }
        bodyTimer.running(want && current != null && current.awaitsClientBody());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        bodyTimer.stop();
        cancel(headDeadline);
        if (current != null) {
            current.onChannelClosed();
        }
        HttpObject o;
        while ((o = pipelined.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == DRAIN) {
            startDraining();
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (current == null || !current.nodeIsWorking()) {
                LOG.debug("closing idle connection {}", ctx.channel());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed TLS handshake (a client that does not trust the certificate) arrives wrapped by the decoder.
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            LOG.debug("connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            LOG.warn("connection {} failed", ctx.channel(), cause);
        }
        ctx.close();
    }

    ReadWindow window() {
        return window;
    }

    ListenerGuards guards() {
        return guards;
    }

    ErrorResponder errors() {
        return errors;
    }

    NettyLimits limits() {
        return limits;
    }

    String hostId() {
        return ids.hostId();
    }

    Executor blockingPool() {
        return blockingPool;
    }
}
