package io.tessera.server.handler;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.ChecksumValue;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.UploadOptions;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ChecksumType;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.xml.CompleteMultipartUpload;
import io.tessera.server.xml.CompleteMultipartUploadResult;
import io.tessera.server.xml.CopyPartResult;
import io.tessera.server.xml.ETags;
import io.tessera.server.xml.InitiateMultipartUploadResult;
import io.tessera.server.xml.S3Xml;
import io.tessera.server.xml.UrlEncoding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload and
 * AbortMultipartUpload. Part bodies stream into the engine like PutObject bodies; an upload that is
 * unknown, aborted or completed is refused before the body is read. Stateless.
 */
final class MultipartHandlers {
    void createUpload(Call call) {
        S3Request req = call.req();
        String algHeader = req.header("x-amz-checksum-algorithm");
        String typeHeader = req.header("x-amz-checksum-type");
        ChecksumAlgorithm alg = algHeader == null ? null
                : ChecksumHeaders.parseAlgorithm(algHeader, "x-amz-checksum-algorithm");
        ChecksumType type = typeHeader == null ? null : ChecksumHeaders.parseType(typeHeader);
        UploadOptions options = new UploadOptions(MetadataHeaders.forNewObject(req), call.ownerId(), alg, type);
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.WRITE);
            UploadInfo up = e.createUpload(call.bucket(), call.key(), options);
            S3Response r = S3Response.xml(200, S3Xml.toBytes(
                    new InitiateMultipartUploadResult(call.bucket(), call.key(), up.uploadId())));
            if (up.checksumAlgorithm() != null) {
                r.header("x-amz-checksum-algorithm", up.checksumAlgorithm().name());
                r.header("x-amz-checksum-type", up.checksumType().name());
            }
            return LifecycleHandlers.withAbortHeaders(r, e, call.bucket(), call.key(), up.initiated());
        });
    }

    void uploadPart(Call call) {
        S3Request req = call.req();
        int partNumber = Params.partNumber(req.queryParam("partNumber"));
        String uploadId = req.queryParam("uploadId");
        ObjectHandlers.requireLength(call);
        ChecksumHeaders checksums = ChecksumHeaders.parse(req, call.auth().payloadMode().hasTrailer());
        byte[] md5 = ObjectHandlers.contentMd5(req);
        long length = PayloadReader.announcedLength(call.auth(), req);
        PartOptions options = new PartOptions(checksums.algorithm(), length);
        ObjectHandlers.beginBody(call, e -> {
            call.bucket(e, call.bucket(), Access.WRITE);
            return e.beginUploadPart(call.bucket(), call.key(), uploadId, partNumber, options);
        }, t -> new BodyExpectations(md5, checksums.claimed(t)), part -> {
            S3Response r = S3Response.ok().header("ETag", ETags.quoted(part.etag()));
            ChecksumHeaders.addHeader(r, part.checksum());
            return r;
        });
    }

    void uploadPartCopy(Call call) {
        S3Request req = call.req();
        int partNumber = Params.partNumber(req.queryParam("partNumber"));
        String uploadId = req.queryParam("uploadId");
        CopySource src = CopySource.parse(req);
        String rangeHeader = req.header("x-amz-copy-source-range");
        call.engine(e -> {
            call.sourceBucket(e, src.bucket());
            call.bucket(e, call.bucket(), Access.WRITE);
            ObjectInfo head = e.headObject(src.bucket(), src.key(), src.versionId());
            ReadRange range = rangeHeader == null ? ReadRange.ALL : RangeHeader.parseCopyRange(rangeHeader, head.size());
            try (ObjectContent content = e.getObject(src.bucket(), src.key(), src.versionId(), range)) {
                Conditionals.checkCopySource(req, content.info());
                PartInfo part;
                try (BodyWriter<PartInfo> w = e.beginUploadPart(call.bucket(), call.key(), uploadId, partNumber,
                        new PartOptions(null, content.length()))) {
                    content.writeTo(w);
                    part = w.commit(BodyExpectations.NONE);
                }
                S3Response r = S3Response.xml(200, S3Xml.toBytes(new CopyPartResult(ETags.quoted(part.etag()),
                        part.lastModified(), ChecksumHeaders.toXml(part.checksum()))));
                return content.info().versionId() == null ? r
                        : r.header("x-amz-copy-source-version-id", content.info().versionId());
            }
        });
    }

    void completeUpload(Call call) {
        S3Request req = call.req();
        String uploadId = req.queryParam("uploadId");
        CompleteOptions options = completeOptions(req);
        call.withSmallBody((e, body, trailers) -> {
            CompleteMultipartUpload doc = S3Xml.parseCompleteMultipartUpload(body);
            List<CompletedPart> parts = new ArrayList<>();
            for (CompleteMultipartUpload.Part p : doc.parts()) {
                if (p.partNumber() < 1 || p.partNumber() > Params.MAX_PART_NUMBER) {
                    throw Params.invalid("PartNumber", Integer.toString(p.partNumber()),
                            "Part number must be an integer between 1 and 10000, inclusive");
                }
                ChecksumValue c = ChecksumHeaders.fromXml(p.checksums());
                parts.add(new CompletedPart(p.partNumber(), ETags.unquoted(p.etag().trim()), c));
            }
            call.bucket(e, call.bucket(), Access.WRITE);
            ObjectInfo info = e.completeUpload(call.bucket(), call.key(), uploadId, parts, options);
            ObjectChecksum c = info.checksum();
            String location = location(req, call.bucket(), call.key());
            S3Response r = S3Response.xml(200, S3Xml.toBytes(new CompleteMultipartUploadResult(location,
                    call.bucket(), call.key(), ETags.quoted(info.etag()), ChecksumHeaders.toXml(c),
                    c == null ? null : c.type().name())));
            return ObjectHandlers.withVersionId(r, info);
        });
    }

    /** The whole-object checksum, size and precondition a Complete request states. */
    private static CompleteOptions completeOptions(S3Request req) {
        ObjectChecksum expected = null;
        String typeHeader = req.header("x-amz-checksum-type");
        ChecksumType type = typeHeader == null ? null : ChecksumHeaders.parseType(typeHeader);
        for (String name : req.headers().names()) {
            ChecksumAlgorithm alg = ChecksumHeaders.algorithmOfHeader(name);
            if (alg == null) {
                continue;
            }
            if (expected != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Expecting a single x-amz-checksum- header.");
            }
            String v = req.header(name).trim();
            int parts = 0;
            int dash = v.lastIndexOf('-');
            if (dash > 0) {
                try {
                    parts = Integer.parseInt(v.substring(dash + 1));
                    v = v.substring(0, dash);
                } catch (NumberFormatException e) {
                    throw ChecksumHeaders.mismatch(alg);
                }
            }
            ChecksumHeaders.checkValue(alg, v);
            ChecksumType t = type != null ? type : parts > 0 ? ChecksumType.COMPOSITE : alg.defaultType();
            expected = new ObjectChecksum(alg, t, v, parts);
        }
        long size = Params.longHeader(req, "x-amz-mp-object-size");
        return new CompleteOptions(WriteConditions.forWrite(req), expected, size, type);
    }

    /** The object's URL, as S3 reports it in {@code <Location>}. */
    private static String location(S3Request req, String bucket, String key) {
        String host = req.header("Host");
        if (host == null) {
            return null;
        }
        return "http://" + host + "/" + UrlEncoding.encodeKey(bucket) + "/" + UrlEncoding.encodeKey(key);
    }

    void abortUpload(Call call) {
        String uploadId = call.req().queryParam("uploadId");
        Instant initiated = WriteConditions.initiatedTime(call.req());
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.WRITE);
            e.abortUpload(call.bucket(), call.key(), uploadId, initiated);
            return S3Response.noContent();
        });
    }
}
