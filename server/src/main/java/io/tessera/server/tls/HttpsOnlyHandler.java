package io.tessera.server.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a connection to a TLS port. From the first bytes the client sends it decides:
 * a TLS record puts Netty's {@code SslHandler} in its place; anything else (a client that forgot
 * {@code https://}) gets a 400 {@code InvalidRequest} that says so, in clear text, and the connection
 * is closed without a byte of it reaching the S3 handlers. One instance per connection; runs on its
 * event loop.
 */
final class HttpsOnlyHandler extends OptionalSslHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsOnlyHandler.class);
    private static final String BODY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidRequest</Code>"
            + "<Message>This node serves HTTPS only: use an https:// endpoint.</Message></Error>";
    private static final byte[] REFUSAL = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: application/xml\r\n"
            + "Content-Length: " + BODY.length() + "\r\n"
            + "Connection: close\r\n"
            + "\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);

    private final String sslHandlerName;

    HttpsOnlyHandler(SslContext context, String sslHandlerName) {
        super(context);
        this.sslHandlerName = sslHandlerName;
    }

    @Override
    protected String newSslHandlerName() {
        return sslHandlerName;
    }

    @Override
    protected ChannelHandler newNonSslHandler(ChannelHandlerContext context) {
        return new Refusal();
    }

    /** Answers the plain-text request once, drops whatever else arrives, and closes. */
    private static final class Refusal extends ChannelInboundHandlerAdapter {
        private boolean answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (!answered) {
                answered = true;
                LOG.debug("plain HTTP on the TLS port from {}: refused", ctx.channel().remoteAddress());
                ByteBuf answer = Unpooled.wrappedBuffer(REFUSAL);
                ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
