package io.tessera.server.handler;

import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectListing;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartListing;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.UploadListing;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.xml.ListBucketResultV1;
import io.tessera.server.xml.ListBucketResultV2;
import io.tessera.server.xml.ListMultipartUploadsResult;
import io.tessera.server.xml.ListPartsResult;
import io.tessera.server.xml.ListedObject;
import io.tessera.server.xml.Owner;
import io.tessera.server.xml.S3Xml;
import io.tessera.server.xml.UrlEncoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ListObjects (V1), ListObjectsV2, ListMultipartUploads and ListParts. Paging follows S3 exactly:
 * V2's continuation token is an opaque (base64url) encoding of the engine's next marker, V1 reports
 * NextMarker, the upload listing both next markers and ListParts the last part number of the page.
 * Stateless.
 */
final class ListHandlers {
    static final int MAX_PAGE = 1000;
    private static final String STANDARD = "STANDARD";

    void listObjectsV2(Call call) {
        S3Request req = call.req();
        String prefix = emptyToNull(req.queryParam("prefix"));
        String delimiter = emptyToNull(req.queryParam("delimiter"));
        int maxKeys = Params.intParam(req, "max-keys", MAX_PAGE, 0, MAX_PAGE);
        String encoding = UrlEncoding.checkEncodingType(req.queryParam("encoding-type"));
        String token = req.queryParam("continuation-token");
        String startAfter = emptyToNull(req.queryParam("start-after"));
        boolean fetchOwner = "true".equalsIgnoreCase(req.queryParam("fetch-owner"));
        String after = token != null ? decodeToken(token) : startAfter;
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            ObjectListing page = e.listObjects(call.bucket(), new ListObjectsQuery(prefix, delimiter, after, maxKeys));
            String next = page.truncated() && page.nextMarker() != null ? encodeToken(page.nextMarker()) : null;
            List<ListedObject> contents = contents(call, page, fetchOwner);
            return S3Response.xml(200, S3Xml.toBytes(new ListBucketResultV2(call.bucket(), prefix, startAfter, token,
                    next, page.count(), maxKeys, delimiter, encoding, page.truncated(), contents,
                    page.commonPrefixes())));
        });
    }

    void listObjects(Call call) {
        S3Request req = call.req();
        String prefix = emptyToNull(req.queryParam("prefix"));
        String delimiter = emptyToNull(req.queryParam("delimiter"));
        int maxKeys = Params.intParam(req, "max-keys", MAX_PAGE, 0, MAX_PAGE);
        String encoding = UrlEncoding.checkEncodingType(req.queryParam("encoding-type"));
        String marker = emptyToNull(req.queryParam("marker"));
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            ObjectListing page = e.listObjects(call.bucket(), new ListObjectsQuery(prefix, delimiter, marker, maxKeys));
            List<ListedObject> contents = contents(call, page, true);
            return S3Response.xml(200, S3Xml.toBytes(new ListBucketResultV1(call.bucket(), prefix, marker,
                    page.truncated() ? page.nextMarker() : null, maxKeys, delimiter, encoding, page.truncated(),
                    contents, page.commonPrefixes())));
        });
    }

    private static List<ListedObject> contents(Call call, ObjectListing page, boolean withOwner) {
        List<ListedObject> out = new ArrayList<>(page.objects().size());
        for (ObjectInfo o : page.objects()) {
            List<String> algs = o.checksum() == null ? List.of() : List.of(o.checksum().algorithm().name());
            String type = o.checksum() == null ? null : o.checksum().type().name();
            Owner owner = withOwner ? call.ctx().owners().owner(o.owner()) : null;
            String storage = o.metadata().get("x-amz-storage-class");
            out.add(new ListedObject(o.key(), o.lastModified(), o.etag(), algs, type, o.size(),
                    storage == null ? STANDARD : storage, owner));
        }
        return out;
    }

    static String encodeToken(String marker) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(marker.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            String t = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            if (!t.isEmpty()) {
                return t;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw Params.invalid("continuation-token", token, "The continuation token provided is incorrect");
    }

    void listUploads(Call call) {
        S3Request req = call.req();
        String prefix = emptyToNull(req.queryParam("prefix"));
        String delimiter = emptyToNull(req.queryParam("delimiter"));
        String keyMarker = emptyToNull(req.queryParam("key-marker"));
        String uploadIdMarker = keyMarker == null ? null : emptyToNull(req.queryParam("upload-id-marker"));
        int maxUploads = Params.intParam(req, "max-uploads", MAX_PAGE, 0, MAX_PAGE);
        String encoding = UrlEncoding.checkEncodingType(req.queryParam("encoding-type"));
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            UploadListing page = e.listUploads(call.bucket(),
                    new ListUploadsQuery(prefix, delimiter, keyMarker, uploadIdMarker, maxUploads));
            List<ListMultipartUploadsResult.Upload> uploads = new ArrayList<>();
            for (UploadInfo u : page.uploads()) {
                Owner owner = call.ctx().owners().owner(u.owner());
                uploads.add(new ListMultipartUploadsResult.Upload(u.key(), u.uploadId(), owner, owner, STANDARD,
                        u.initiated(), u.checksumAlgorithm() == null ? null : u.checksumAlgorithm().name(),
                        u.checksumType() == null ? null : u.checksumType().name()));
            }
            return S3Response.xml(200, S3Xml.toBytes(new ListMultipartUploadsResult(call.bucket(), keyMarker,
                    uploadIdMarker, page.truncated() ? page.nextKeyMarker() : null,
                    page.truncated() ? page.nextUploadIdMarker() : null, delimiter, prefix, maxUploads,
                    page.truncated(), encoding, uploads, page.commonPrefixes())));
        });
    }

    void listParts(Call call) {
        S3Request req = call.req();
        String uploadId = req.queryParam("uploadId");
        int maxParts = Params.intParam(req, "max-parts", MAX_PAGE, 0, MAX_PAGE);
        int marker = Params.intParam(req, "part-number-marker", 0, 0, Integer.MAX_VALUE);
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            PartListing page = e.listParts(call.bucket(), call.key(), uploadId, maxParts, marker);
            UploadInfo u = page.upload();
            List<ListPartsResult.Part> parts = new ArrayList<>();
            for (PartInfo p : page.parts()) {
                parts.add(new ListPartsResult.Part(p.partNumber(), p.lastModified(), p.etag(), p.size(),
                        ChecksumHeaders.toXml(p.checksum())));
            }
            Owner owner = call.ctx().owners().owner(u.owner());
            Integer next = page.parts().isEmpty() ? null : page.nextPartNumberMarker();
            S3Response r = S3Response.xml(200, S3Xml.toBytes(new ListPartsResult(call.bucket(), call.key(), uploadId,
                    owner, owner, STANDARD, marker, next, page.maxParts(), page.truncated(), parts,
                    u.checksumAlgorithm() == null ? null : u.checksumAlgorithm().name(),
                    u.checksumType() == null ? null : u.checksumType().name())));
            return LifecycleHandlers.withAbortHeaders(r, e, call.bucket(), call.key(), u.initiated());
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
