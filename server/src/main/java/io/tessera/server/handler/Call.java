package io.tessera.server.handler;

import io.tessera.engine.BucketInfo;
import io.tessera.engine.Engine;
import io.tessera.server.auth.AuthResult;
import io.tessera.server.auth.Trailers;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.route.Route;
import io.tessera.server.xml.S3Xml;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One authenticated, routed request on its way through a handler: who asked, what for, and the
 * ways to answer (directly, after an engine call on the I/O threads, or after reading a small body).
 * Thread-safe in the sense that its answering methods may be called from any thread; an exchange is
 * answered once.
 */
final class Call {
    private final HandlerContext ctx;
    private final S3Exchange exchange;
    private final Route route;
    private final AuthResult auth;

    Call(HandlerContext ctx, S3Exchange exchange, Route route, AuthResult auth) {
        this.ctx = ctx;
        this.exchange = exchange;
        this.route = route;
        this.auth = auth;
    }

    /** This call, as made by {@code signer} (a form upload, authenticated by its signed policy). */
    Call authenticatedAs(AuthResult signer) {
        return new Call(ctx, exchange, route, signer);
    }

    HandlerContext ctx() {
        return ctx;
    }

    S3Exchange exchange() {
        return exchange;
    }

    S3Request req() {
        return exchange.request();
    }

    String bucket() {
        return route.bucket();
    }

    String key() {
        return route.key();
    }

    /** How the caller proved who it is; null for an anonymous caller ({@link AnonymousAccess}). */
    AuthResult auth() {
        return auth;
    }

    /** Whether the request carries no signature ({@link AnonymousAccess} decides what it may read). */
    boolean isAnonymous() {
        return auth == null;
    }

    /** The canonical id of the caller's owner. */
    String ownerId() {
        return auth.credential().ownerId();
    }

    void respond(S3Response r) {
        exchange.respond(r);
    }

    void fail(Throwable t) {
        exchange.respond(ctx.errors().toResponse(exchange.request(), t));
    }

    /** Runs {@code op} on the engine's I/O threads and answers with its result or its failure. */
    void engine(Function<Engine, S3Response> op) {
        CompletableFuture<S3Response> f;
        try {
            f = ctx.engine().call(op);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        f.whenComplete((r, e) -> {
            if (e != null) {
                fail(e);
            } else {
                respond(r);
            }
        });
    }


    /** The caller's access key id. */
    String accessKeyId() {
        return auth.credential().accessKeyId();
    }

    /**
     * The bucket, checked to exist, to allow the caller {@code need}, and to have the owner that
     * {@code x-amz-expected-bucket-owner} names, if sent (AccessDenied otherwise). Every operation on a
     * bucket or its objects resolves its bucket here, once for each bucket it touches, so no operation
     * skips a permission or ignores that header.
     */
    BucketInfo bucket(Engine e, String name, Access need) {
        return checked(e, name, need, "x-amz-expected-bucket-owner");
    }

    /** A copy's source bucket: as {@link #bucket}, read access, with {@code x-amz-source-expected-bucket-owner}. */
    BucketInfo sourceBucket(Engine e, String name) {
        return checked(e, name, Access.READ, "x-amz-source-expected-bucket-owner");
    }

    private BucketInfo checked(Engine e, String name, Access need, String expectedOwnerHeader) {
        BucketInfo b = e.headBucket(name);
        String expected = req().header(expectedOwnerHeader);
        if (expected != null && !expected.trim().equals(b.owner())) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED).with("BucketName", name);
        }
        if (isAnonymous()) {
            AnonymousAccess.checkBucket(need);
        } else if (!ctx.keys().permissions(accessKeyId(), name).allows(need)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED).with("BucketName", name);
        }
        return b;
    }

    /** What a handler does with a small body (an XML document) once it has been read and proven. */
    @FunctionalInterface
    interface SmallBodyHandler {
        S3Response handle(Engine engine, byte[] body, Trailers trailers);
    }

    /**
     * Reads a body of at most {@link S3Xml#MAX_REQUEST_BYTES} payload bytes, proves it against the
     * signature, then runs {@code handler} on an I/O thread and answers with its result.
     */
    void withSmallBody(SmallBodyHandler handler) {
        long announced = PayloadReader.announcedLength(auth, req());
        if (announced > S3Xml.MAX_REQUEST_BYTES) {
            fail(new S3Exception(S3ErrorCode.MAX_MESSAGE_LENGTH_EXCEEDED)
                    .with("MaxMessageLengthBytes", Integer.toString(S3Xml.MAX_REQUEST_BYTES)));
            return;
        }
        exchange.readBody(new SmallBody(this, PayloadReader.forRequest(auth, req()), handler));
    }
}
