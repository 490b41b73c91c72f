package io.tessera.server.handler;

import io.tessera.server.auth.AuthResult;
import io.tessera.server.auth.SigV4Request;
import io.tessera.server.auth.SigV4Verifier;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
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
 * The S3 service: finds a request's bucket and key (path-style or virtual-hosted), routes it to its
 * operation, authenticates it (SigV4 header or presigned URL) and hands it to the handler family. Three
 * exceptions to SigV4: CORS preflights (never authenticated, as in S3) and browser form uploads
 * (authenticated by their signed policy) go to their handlers directly, and requests without any
 * signature get only what {@link AnonymousAccess} allows. Answers to cross-origin requests get their
 * CORS headers from {@link CorsExchange}. Runs on the event loop and never blocks: handlers move engine work
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
    private final TaggingHandlers tagging = new TaggingHandlers();
    private final CorsHandlers cors = new CorsHandlers();
    private final AclHandlers acls = new AclHandlers();
    private final PostObjectHandler forms;
    private final VersioningHandlers versioning = new VersioningHandlers();

    public S3Dispatcher(HandlerContext ctx, SigV4Verifier verifier, AddressingResolver addressing, Clock clock) {
        this.ctx = ctx;
        this.verifier = verifier;
        this.addressing = addressing;
        this.clock = clock;
        this.forms = new PostObjectHandler(verifier, clock);
    }

    @Override
    public void onRequest(S3Exchange received) {
        S3Request req = received.request();
        S3Exchange exchange = received;
        Route route = null;
        SigV4Request signed = null;
        String keyId = null;
        try {
            RuntimeException routing = null;
            try {
                RequestTarget target = addressing.resolve(req.header("Host"), req.rawPath());
                exchange = CorsExchange.decorate(received, ctx, target.bucket());
                route = router.route(req.method(), target.bucket(), target.key(), req.query(), req::hasHeader);
            } catch (RuntimeException e) {
                routing = e;
            }
            if (route != null && route.operation().authenticatesItself()) {
                received.describe(facts(null, route));
                BucketNames.validate(route.bucket());
                dispatch(new Call(ctx, exchange, route, null), route);
                return;
            }
            boolean anonymous = AnonymousAccess.isAnonymous(req);
            signed = anonymous ? null : toSigV4(req);
            AuthResult auth = anonymous ? null : verifier.verify(signed, clock.instant());
            keyId = auth == null ? null : auth.credential().accessKeyId();
            received.describe(facts(keyId, route));
            if (routing != null) {
                throw anonymous ? new S3Exception(S3ErrorCode.ACCESS_DENIED) : routing;
            }
            if (anonymous) {
                AnonymousAccess.admit(route, req);
            }
            if (route.bucket() != null) {
                BucketNames.validate(route.bucket());
            }
            dispatch(new Call(ctx, exchange, route, auth), route);
        } catch (RuntimeException e) {
            if (keyId == null && signed != null) { // refused by the verifier: log the key it claimed
                received.describe(facts(SigV4Verifier.claimedAccessKeyId(signed), route));
            } else if (keyId == null) {
                received.describe(facts(null, route));
            }
            exchange.respond(ctx.errors().toResponse(req, e));
        }
    }

    /** What the metrics and the access log learn of a request (the exchange as received hears it). */
    private static RequestFacts facts(String accessKeyId, Route route) {
        return route == null ? new RequestFacts(accessKeyId, null, null, null)
                : new RequestFacts(accessKeyId, route.operation().name(), route.bucket(), route.key());
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
            case GetObjectTagging -> tagging.getObjectTagging(call);
            case PutObjectTagging -> tagging.putObjectTagging(call);
            case DeleteObjectTagging -> tagging.deleteObjectTagging(call);
            case GetBucketTagging -> tagging.getBucketTagging(call);
            case PutBucketTagging -> tagging.putBucketTagging(call);
            case DeleteBucketTagging -> tagging.deleteBucketTagging(call);
            case GetBucketCors -> cors.getBucketCors(call);
            case PutBucketCors -> cors.putBucketCors(call);
            case DeleteBucketCors -> cors.deleteBucketCors(call);
            case PreflightBucket, PreflightObject -> cors.preflight(call);
            case GetBucketAcl -> acls.getBucketAcl(call);
            case PutBucketAcl -> acls.putBucketAcl(call);
            case GetObjectAcl -> acls.getObjectAcl(call);
            case PutObjectAcl -> acls.putObjectAcl(call);
            case PostObject -> forms.postObject(call);
            case PutBucketVersioning -> versioning.putVersioning(call);
            case GetBucketVersioning -> versioning.getVersioning(call);
            case ListObjectVersions -> versioning.listVersions(call);
        }
    }

    private static SigV4Request toSigV4(S3Request req) {
        SigV4Request.Builder b = SigV4Request.builder().method(req.method()).rawPath(req.rawPath())
                .rawQuery(req.rawQuery());
        req.headers().forEach(b::addHeader);
        return b.build();
    }
}
