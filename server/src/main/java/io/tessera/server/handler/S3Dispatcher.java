package io.tessera.server.handler;

import io.tessera.server.auth.AuthResult;
import io.tessera.server.auth.SigV4Request;
import io.tessera.server.auth.SigV4Verifier;
import io.tessera.server.http.RequestFacts;
import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Service;
import io.tessera.server.route.AddressingResolver;
import io.tessera.server.route.BucketNames;
import io.tessera.server.route.RequestTarget;
import io.tessera.server.route.Route;
import io.tessera.server.route.Router;
import java.time.Clock;

/**
 * The S3 service: authenticates every request (SigV4 header or presigned URL; anonymous requests are
 * refused), finds its bucket and key (path-style or virtual-hosted), routes it to its operation and
 * hands it to the handler family. Runs on the event loop and never blocks: handlers move engine work
 * to the engine's I/O threads.
 *
 * <p>Thread-safe.
 */
public final class S3Dispatcher implements S3Service {
    private final HandlerContext ctx;
    private final SigV4Verifier verifier;
    private final AddressingResolver addressing;
    private final Clock clock;
    private final Router router = new Router();
    private final BucketHandlers buckets = new BucketHandlers();
    private final ObjectHandlers objects = new ObjectHandlers();
    private final MultipartHandlers multipart = new MultipartHandlers();
    private final ListHandlers lists = new ListHandlers();
    private final ObjectAttributesHandler attributes = new ObjectAttributesHandler();
    private final LifecycleHandlers lifecycle = new LifecycleHandlers();

    public S3Dispatcher(HandlerContext ctx, SigV4Verifier verifier, AddressingResolver addressing, Clock clock) {
        this.ctx = ctx;
        this.verifier = verifier;
        this.addressing = addressing;
        this.clock = clock;
    }

    @Override
    public void onRequest(S3Exchange exchange) {
        S3Request req = exchange.request();
        SigV4Request signed = null;
        AuthResult auth = null;
        Route route = null;
        try {
            signed = toSigV4(req);
            auth = verifier.verify(signed, clock.instant());
            RequestTarget target = addressing.resolve(req.header("Host"), req.rawPath());
            route = router.route(req.method(), target.bucket(), target.key(), req.query(), req::hasHeader);
            exchange.describe(facts(auth.credential().accessKeyId(), route));
            if (route.bucket() != null) {
                BucketNames.validate(route.bucket());
            }
            dispatch(new Call(ctx, exchange, route, auth), route);
        } catch (RuntimeException e) {
            if (route == null) {
                exchange.describe(refusedFacts(req, signed, auth));
            }
            exchange.respond(ctx.errors().toResponse(req, e));
        }
    }

    private static RequestFacts facts(String accessKeyId, Route route) {
        return new RequestFacts(accessKeyId, route.operation().name(), route.bucket(), route.key());
    }

    /** As much as can be told of a request refused before it was routed: the key it claims, where it went. */
    private RequestFacts refusedFacts(S3Request req, SigV4Request signed, AuthResult auth) {
        String keyId = auth != null ? auth.credential().accessKeyId()
                : signed != null ? SigV4Verifier.claimedAccessKeyId(signed) : null;
        try {
            RequestTarget target = addressing.resolve(req.header("Host"), req.rawPath());
            return facts(keyId, router.route(req.method(), target.bucket(), target.key(), req.query(),
                    req::hasHeader));
        } catch (RuntimeException unroutable) {
            return new RequestFacts(keyId, null, null, null);
        }
    }

    private void dispatch(Call call, Route route) {
        switch (route.operation()) {
            case ListBuckets -> buckets.listBuckets(call);
            case CreateBucket -> buckets.createBucket(call);
            case HeadBucket -> buckets.headBucket(call);
            case DeleteBucket -> buckets.deleteBucket(call);
            case GetBucketLocation -> buckets.getBucketLocation(call);
            case ListObjects -> lists.listObjects(call);
            case ListObjectsV2 -> lists.listObjectsV2(call);
            case ListMultipartUploads -> lists.listUploads(call);
            case ListParts -> lists.listParts(call);
            case DeleteObjects -> objects.deleteObjects(call);
            case PutObject -> objects.putObject(call);
            case CopyObject -> objects.copyObject(call);
            case GetObject, HeadObject -> objects.getObject(call);
            case GetObjectAttributes -> attributes.getObjectAttributes(call);
            case DeleteObject -> objects.deleteObject(call);
            case CreateMultipartUpload -> multipart.createUpload(call);
            case UploadPart -> multipart.uploadPart(call);
            case UploadPartCopy -> multipart.uploadPartCopy(call);
            case CompleteMultipartUpload -> multipart.completeUpload(call);
            case AbortMultipartUpload -> multipart.abortUpload(call);
            case PutBucketLifecycleConfiguration -> lifecycle.putLifecycle(call);
            case GetBucketLifecycleConfiguration -> lifecycle.getLifecycle(call);
            case DeleteBucketLifecycle -> lifecycle.deleteLifecycle(call);
        }
    }

    private static SigV4Request toSigV4(S3Request req) {
        SigV4Request.Builder b = SigV4Request.builder().method(req.method()).rawPath(req.rawPath())
                .rawQuery(req.rawQuery());
        req.headers().forEach(b::addHeader);
        return b.build();
    }
}
