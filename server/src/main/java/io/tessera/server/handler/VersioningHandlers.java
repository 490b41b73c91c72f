package io.tessera.server.handler;

import io.tessera.engine.ListVersionsQuery;
import io.tessera.engine.ObjectVersion;
import io.tessera.engine.VersionListing;
import io.tessera.engine.VersioningState;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.xml.ListVersionsResult;
import io.tessera.server.xml.S3Xml;
import io.tessera.server.xml.UrlEncoding;
import io.tessera.server.xml.VersioningConfiguration;
import java.util.ArrayList;
import java.util.List;

/** PutBucketVersioning, GetBucketVersioning (owner only) and ListObjectVersions. Stateless. */
final class VersioningHandlers {
    private static final int MAX_PAGE = 1000;

    void putVersioning(Call call) {
        S3Request req = call.req();
        byte[] md5 = ObjectHandlers.contentMd5(req);
        ChecksumHeaders checksums = ChecksumHeaders.parse(req, call.auth().payloadMode().hasTrailer());
        if (md5 == null && checksums.algorithm() == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Missing required header for this request: Content-MD5");
        }
        call.withSmallBody((e, body, trailers) -> {
            ObjectHandlers.checkBodyDigests(body, md5, checksums.claimed(trailers));
            call.bucket(e, call.bucket(), Access.OWNER);
            VersioningConfiguration conf = S3Xml.parseVersioningConfiguration(body);
            if (conf.status() == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            e.setBucketVersioning(call.bucket(), conf.status().equals("Enabled") ? VersioningState.ENABLED
                    : VersioningState.SUSPENDED);
            return S3Response.ok();
        });
    }

    void getVersioning(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.OWNER);
            String status = switch (e.bucketVersioning(call.bucket())) {
                case ENABLED -> "Enabled";
                case SUSPENDED -> "Suspended";
                case UNVERSIONED -> null;
            };
            return S3Response.xml(200, S3Xml.toBytes(new VersioningConfiguration(status)));
        });
    }

    void listVersions(Call call) {
        S3Request req = call.req();
        String prefix = emptyToNull(req.queryParam("prefix"));
        String delimiter = emptyToNull(req.queryParam("delimiter"));
        int maxKeys = Params.intParam(req, "max-keys", MAX_PAGE, 0, MAX_PAGE);
        String keyMarker = emptyToNull(req.queryParam("key-marker"));
        String versionIdMarker = emptyToNull(req.queryParam("version-id-marker"));
        if (versionIdMarker != null && keyMarker == null) {
            throw Params.invalid("version-id-marker", versionIdMarker,
                    "A version-id marker cannot be specified without a key marker.");
        }
        if (versionIdMarker != null) {
            VersionIds.check("version-id-marker", versionIdMarker);
        }
        String encoding = UrlEncoding.checkEncodingType(req.queryParam("encoding-type"));
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            VersionListing page = e.listObjectVersions(call.bucket(),
                    new ListVersionsQuery(prefix, delimiter, keyMarker, versionIdMarker, maxKeys));
            List<ListVersionsResult.Entry> entries = new ArrayList<>(page.versions().size());
            for (ObjectVersion v : page.versions()) {
                entries.add(new ListVersionsResult.Entry(v.key(), v.versionId(), v.latest(), v.deleteMarker(),
                        v.lastModified(), v.etag(), v.size(),
                        v.checksum() == null ? null : v.checksum().algorithm().name(),
                        v.checksum() == null ? null : v.checksum().type().name(), call.ctx().owners().owner(v.owner())));
            }
            return S3Response.xml(200, S3Xml.toBytes(new ListVersionsResult(call.bucket(), prefix, keyMarker,
                    versionIdMarker, page.nextKeyMarker(), page.nextVersionIdMarker(), maxKeys, delimiter, encoding,
                    page.truncated(), entries, page.commonPrefixes())));
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
