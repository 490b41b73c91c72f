package io.tessera.server.handler;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.ChecksumValue;
import io.tessera.engine.DeleteOutcome;
import io.tessera.engine.VersioningState;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.ObjectPart;
import io.tessera.engine.Precondition;
import io.tessera.engine.PutOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.server.auth.PayloadMode;
import io.tessera.server.auth.Trailers;
import io.tessera.server.error.ErrorMapper;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.HeaderValues;
import io.tessera.server.http.HttpDates;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.route.ObjectKeys;
import io.tessera.server.xml.CopyObjectResult;
import io.tessera.server.xml.DeleteObjectsRequest;
import io.tessera.server.xml.DeleteResult;
import io.tessera.server.xml.ETags;
import io.tessera.server.xml.S3Xml;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.Map;

/**
 * PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects and CopyObject. Stateless.
 */
final class ObjectHandlers {
    private static final Map<String, String> RESPONSE_OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");

    // ---- PutObject ----

    void putObject(Call call) {
        S3Request req = call.req();
        requireLength(call);
        ObjectMetadata metadata = MetadataHeaders.forNewObject(req);
        ChecksumHeaders checksums = ChecksumHeaders.parse(req, call.auth().payloadMode().hasTrailer());
        byte[] md5 = contentMd5(req);
        long length = PayloadReader.announcedLength(call.auth(), req);
        PutOptions options = PutOptions.of(metadata, call.ownerId()).withExpectedLength(length)
                .withChecksum(checksums.algorithm()).withPrecondition(WriteConditions.forWrite(req));
        Function<Trailers, BodyExpectations> exp =
                t -> new BodyExpectations(md5, checksums.claimed(t));
        Function<ObjectInfo, S3Response> answer = info -> {
            S3Response r = S3Response.ok().header("ETag", ETags.quoted(info.etag()));
            ChecksumHeaders.addHeaders(r, info.checksum());
            return withVersionId(r, info);
        };
        if (call.ctx().engine().engine().config().isSmallBody(length)) {
            // collected whole and group-committed by the engine, never refused for room it would not need:
            // read it at once, begin its writer on the way
            PayloadReader payload = PayloadReader.forRequest(call.auth(), req);
            call.exchange().readBody(StreamingUpload.beginning(call, e -> {
                call.bucket(e, call.bucket(), Access.WRITE);
                return e.beginPutObject(call.bucket(), call.key(), options);
            }, payload, exp, answer));
            return;
        }
        beginBody(call, e -> {
            call.bucket(e, call.bucket(), Access.WRITE);
            return e.beginPutObject(call.bucket(), call.key(), options);
        }, exp, answer);
    }

    /** Adds {@code x-amz-version-id} when the object has a version id to show. */
    static S3Response withVersionId(S3Response r, ObjectInfo info) {
        return info.versionId() == null ? r : r.header("x-amz-version-id", info.versionId());
    }

    /**
     * Begins an engine body writer on an I/O thread, then streams the request body into it: a body the
     * engine refuses (no room on the disk for its announced length, no piece buffer free) is answered
     * before any of it is read. The writer holds a write lane only while it appends a piece, never while
     * the client is silent.
     */
    static <R> void beginBody(Call call, Function<Engine, BodyWriter<R>> begin,
                              Function<Trailers, BodyExpectations> exp,
                              Function<R, S3Response> answer) {
        PayloadReader payload = PayloadReader.forRequest(call.auth(), call.req());
        call.ctx().engine().call(begin).whenComplete((writer, err) -> {
            if (err != null) {
                call.fail(err);
            } else {
                call.exchange().readBody(new StreamingUpload<>(call, writer, payload, exp, answer));
            }
        });
    }

    /** A body upload needs a Content-Length, or chunked transfer, as S3 requires. */
    static void requireLength(Call call) {
        S3Request req = call.req();
        if (req.contentLength() < 0 && !req.chunkedTransfer()) {
            throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
        }
        PayloadMode mode = call.auth().payloadMode();
        if (mode.isChunked() && req.header("x-amz-decoded-content-length") == null && !req.chunkedTransfer()) {
            throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH,
                    "You must provide the x-amz-decoded-content-length header with aws-chunked bodies.");
        }
    }

    /** Content-MD5 as raw bytes, or null; InvalidDigest when it is not base64 of 16 bytes. */
    static byte[] contentMd5(S3Request req) {
        String v = req.header("Content-MD5");
        if (v == null) {
            return null;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(v.trim());
            if (raw.length == 16) {
                return raw;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_DIGEST).with("Content-MD5", v);
    }

    // ---- GetObject / HeadObject ----

    void getObject(Call call) {
        S3Request req = call.req();
        String versionId = VersionIds.fromQuery(req);
        ReadRange range = requestedRange(req);
        Map<String, String> overrides = overrides(req);
        boolean checksumMode = "ENABLED".equalsIgnoreCase(req.header("x-amz-checksum-mode"));
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            if (req.isHead()) {
                ObjectInfo info = call.isAnonymous() ? AnonymousAccess.head(e, call.bucket(), call.key(), versionId)
                        : e.headObject(call.bucket(), call.key(), versionId);
                S3Response early = conditional(req, info);
                if (early != null) {
                    return early;
                }
                long[] span = RangeHeader.resolve(info, range);
                return objectResponse(info, range, span[0], span[1], checksumMode, overrides)
                        .body(new S3Response.LengthOnly(span[1]));
            }
            ReadRange what = range == null ? ReadRange.ALL : range;
            ObjectContent content = call.isAnonymous()
                    ? AnonymousAccess.get(e, call.bucket(), call.key(), versionId, what)
                    : e.getObject(call.bucket(), call.key(), versionId, what);
            try {
                S3Response early = conditional(req, content.info());
                if (early != null) {
                    content.close();
                    return early;
                }
                return objectResponse(content.info(), range, content.firstByte(), content.length(), checksumMode,
                        overrides).body(new S3Response.Content(content));
            } catch (RuntimeException ex) {
                content.close();
                throw ex;
            }
        });
    }

    private static ReadRange requestedRange(S3Request req) {
        String part = req.queryParam("partNumber");
        ReadRange range = RangeHeader.parse(req.header("Range"));
        if (part != null) {
            if (req.header("Range") != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Cannot specify both Range header and partNumber query parameter");
            }
            return ReadRange.part(Params.partNumber(part));
        }
        return range;
    }

    /** The {@code response-*} overrides, refused (before the object is opened) when no header could carry them. */
    private static Map<String, String> overrides(S3Request req) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : RESPONSE_OVERRIDES.entrySet()) {
            String v = req.queryParam(e.getKey());
            if (v != null) {
                if (!HeaderValues.isValid(v)) {
                    throw Params.invalid(e.getKey(), v, "Header value cannot contain control characters"
                            + " or begin or end with white space.");
                }
                out.put(e.getValue(), v);
            }
        }
        return out;
    }

    /** 304 or 412 when a condition says so, null to proceed. */
    static S3Response conditional(S3Request req, ObjectInfo info) {
        switch (Conditionals.evaluate(req, info)) {
            case NOT_MODIFIED:
                return S3Response.status(304).header("ETag", ETags.quoted(info.etag()))
                        .header("Last-Modified", HttpDates.format(info.lastModified()));
            case PRECONDITION_FAILED:
                throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED).with("Condition",
                        req.header("If-Match") != null ? "If-Match" : "If-Unmodified-Since");
            default:
                return null;
        }
    }

    private static S3Response objectResponse(ObjectInfo info, ReadRange range, long first, long length,
                                             boolean checksumMode, Map<String, String> overrides) {
        boolean partial = range != null && !(range instanceof ReadRange.Part p && !info.isMultipart());
        S3Response r = S3Response.status(partial ? 206 : 200);
        r.header("ETag", ETags.quoted(info.etag()));
        r.header("Last-Modified", HttpDates.format(info.lastModified()));
        r.header("Accept-Ranges", "bytes");
        withVersionId(r, info);
        MetadataHeaders.addTo(r, info.metadata());
        overrides.forEach(r::header);
        if (partial) {
            long last = length == 0 ? first : first + length - 1;
            r.header("Content-Range", "bytes " + first + "-" + last + "/" + info.size());
        }
        if (range instanceof ReadRange.Part && info.isMultipart()) {
            r.header("x-amz-mp-parts-count", Integer.toString(info.parts().size()));
        }
        if (checksumMode) {
            if (range == null || (range instanceof ReadRange.Part && !info.isMultipart())) {
                ChecksumHeaders.addHeaders(r, info.checksum());
            } else if (range instanceof ReadRange.Part p) {
                for (ObjectPart op : info.parts()) {
                    if (op.partNumber() == p.partNumber()) {
                        ChecksumHeaders.addHeader(r, op.checksum());
                    }
                }
            }
        }
        return r;
    }

    // ---- DeleteObject / DeleteObjects ----

    void deleteObject(Call call) {
        String versionId = VersionIds.fromQuery(call.req());
        Precondition condition = WriteConditions.forDelete(call.req());
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.WRITE);
            DeleteOutcome out = versionId == null || (versionId.equals(io.tessera.engine.VersionIds.NULL)
                    && e.bucketVersioning(call.bucket()) == VersioningState.UNVERSIONED)
                    ? e.deleteObject(call.bucket(), call.key(), condition)
                    : e.deleteObjectVersion(call.bucket(), call.key(), versionId);
            S3Response r = S3Response.noContent();
            if (out.versionId() != null) {
                r.header("x-amz-version-id", out.versionId());
            }
            if (out.deleteMarker()) {
                r.header("x-amz-delete-marker", "true");
            }
            return r;
        });
    }

    void deleteObjects(Call call) {
        S3Request req = call.req();
        byte[] md5 = contentMd5(req);
        ChecksumHeaders checksums = ChecksumHeaders.parse(req, call.auth().payloadMode().hasTrailer());
        if (md5 == null && checksums.algorithm() == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Missing required header for this request: Content-MD5");
        }
        call.withSmallBody((e, body, trailers) -> {
            checkBodyDigests(body, md5, checksums.claimed(trailers));
            DeleteObjectsRequest del = S3Xml.parseDeleteObjects(body);
            call.bucket(e, call.bucket(), Access.WRITE);
            List<DeleteResult.Deleted> deleted = new ArrayList<>();
            List<DeleteResult.DeleteError> errors = new ArrayList<>();
            for (DeleteObjectsRequest.ObjectIdentifier o : del.objects()) {
                try {
                    ObjectKeys.validate(o.key());
                    S3Exception version = VersionIds.problem("VersionId", o.versionId());
                    if (version != null) {
                        throw version;
                    }
                    DeleteOutcome out = o.versionId() == null
                            ? e.deleteObject(call.bucket(), o.key(), WriteConditions.forDeleteEntry(o))
                            : e.deleteObjectVersion(call.bucket(), o.key(), o.versionId());
                    if (!del.quiet()) {
                        deleted.add(o.versionId() == null
                                ? new DeleteResult.Deleted(o.key(), null, out.deleteMarker() ? Boolean.TRUE : null,
                                        out.deleteMarker() ? out.versionId() : null)
                                : new DeleteResult.Deleted(o.key(), o.versionId(),
                                        out.deleteMarker() ? Boolean.TRUE : null,
                                        out.deleteMarker() ? o.versionId() : null));
                    }
                } catch (EngineException | S3Exception ex) {
                    S3Exception s3 = ErrorMapper.toS3(ex, req.requestId());
                    errors.add(new DeleteResult.DeleteError(o.key(), o.versionId(), s3.code().awsCode(),
                            s3.getMessage()));
                }
            }
            return S3Response.xml(200, S3Xml.toBytes(new DeleteResult(deleted, errors)));
        });
    }

    /** Checks Content-MD5 and a flexible checksum of a small body held in memory. */
    static void checkBodyDigests(byte[] body, byte[] md5, ChecksumValue checksum) {
        if (md5 != null) {
            try {
                if (!MessageDigest.isEqual(md5, MessageDigest.getInstance("MD5").digest(body))) {
                    throw new S3Exception(S3ErrorCode.BAD_DIGEST);
                }
            } catch (java.security.NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }
        if (checksum != null) {
            var hasher = checksum.algorithm().newHasher();
            hasher.update(body, 0, body.length);
            String actual = Base64.getEncoder().encodeToString(hasher.digest());
            if (!actual.equals(checksum.base64())) {
                throw ChecksumHeaders.mismatch(checksum.algorithm());
            }
        }
    }

    // ---- CopyObject ----

    /**
     * The tags {@code x-amz-tagging-directive: REPLACE} asks for (those of {@code x-amz-tagging}, or none), or
     * null for {@code COPY} (the default: the source's tags, whatever {@code x-amz-tagging} says).
     */
    private static Tags copyTagging(S3Request req) {
        String directive = req.header("x-amz-tagging-directive");
        if (directive == null || directive.trim().equalsIgnoreCase("COPY")) {
            return null;
        }
        if (!directive.trim().equalsIgnoreCase("REPLACE")) {
            throw Params.invalid("x-amz-tagging-directive", directive, "Unknown tagging directive.");
        }
        String header = req.header("x-amz-tagging");
        return header == null ? Tags.NONE : Tags.fromHeader(HeaderValues.fromWire(header));
    }

    /**
     * A copy's metadata: the source's or the request's headers (metadata directive), the source's or the
     * request's tags (tagging directive), and the request's ACL (S3 never copies an ACL: private unless
     * {@code x-amz-acl} says otherwise).
     */
    private static ObjectMetadata copiedMetadata(ObjectMetadata source, ObjectMetadata replacement, Tags replacedTags,
                                                 CannedAcl acl) {
        ObjectMetadata m = replacement != null ? replacement : ReservedMetadata.without(source);
        String tags = replacedTags == null ? source.get(ReservedMetadata.TAGGING)
                : replacedTags.isEmpty() ? null : replacedTags.encode();
        m = ReservedMetadata.with(m, ReservedMetadata.TAGGING, tags);
        return ReservedMetadata.with(m, ReservedMetadata.ACL, acl == null ? null : acl.stored());
    }

    void copyObject(Call call) {
        S3Request req = call.req();
        CopySource src = CopySource.parse(req);
        String directive = req.header("x-amz-metadata-directive");
        boolean replace = false;
        if (directive != null) {
            String d = directive.trim().toUpperCase(Locale.ROOT);
            if (!d.equals("COPY") && !d.equals("REPLACE")) {
                throw Params.invalid("x-amz-metadata-directive", directive, "Unknown metadata directive.");
            }
            replace = d.equals("REPLACE");
        }
        ObjectMetadata replacement = replace ? MetadataHeaders.fromRequest(req) : null;
        Tags replacedTags = copyTagging(req);
        CannedAcl acl = CannedAcl.fromHeaders(req, true);
        String algHeader = req.header("x-amz-checksum-algorithm");
        ChecksumAlgorithm requestedAlg = algHeader == null ? null
                : ChecksumHeaders.parseAlgorithm(algHeader, "x-amz-checksum-algorithm");
        Precondition precondition = WriteConditions.forWrite(req);
        boolean sameKey = src.bucket().equals(call.bucket()) && src.key().equals(call.key());
        if (sameKey && !replace && requestedAlg == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it is trying to"
                    + " copy an object to itself without changing the object's metadata, storage class, website"
                    + " redirect location or encryption attributes.");
        }
        call.engine(e -> {
            call.sourceBucket(e, src.bucket());
            call.bucket(e, call.bucket(), Access.WRITE);
            try (ObjectContent content = e.getObject(src.bucket(), src.key(), src.versionId(), ReadRange.ALL)) {
                ObjectInfo source = content.info();
                Conditionals.checkCopySource(req, source);
                ChecksumAlgorithm alg = requestedAlg != null ? requestedAlg
                        : source.checksum() == null ? null : source.checksum().algorithm();
                PutOptions options = PutOptions.of(copiedMetadata(source.metadata(), replacement, replacedTags, acl),
                        call.ownerId()).withExpectedLength(content.length()).withChecksum(alg)
                        .withPrecondition(precondition);
                ObjectInfo info;
                try (BodyWriter<ObjectInfo> w = e.beginPutObject(call.bucket(), call.key(), options)) {
                    content.writeTo(w);
                    info = w.commit(BodyExpectations.NONE);
                }
                ObjectChecksum c = info.checksum();
                S3Response r = S3Response.xml(200, S3Xml.toBytes(new CopyObjectResult(ETags.quoted(info.etag()),
                        info.lastModified(), c == null ? null : c.type().name(), ChecksumHeaders.toXml(c))));
                if (source.versionId() != null) {
                    r.header("x-amz-copy-source-version-id", source.versionId());
                }
                return withVersionId(r, info);
            }
        });
    }
}
