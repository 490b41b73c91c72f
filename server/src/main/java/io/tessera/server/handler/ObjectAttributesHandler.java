package io.tessera.server.handler;

import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectPart;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.keys.Access;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.HttpDates;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.xml.ETags;
import io.tessera.server.xml.GetObjectAttributesResponse;
import io.tessera.server.xml.S3Xml;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * GetObjectAttributes ({@code GET /bucket/key?attributes}): the attributes named in
 * {@code x-amz-object-attributes}, with the parts of a multipart object paged by {@code x-amz-max-parts}
 * and {@code x-amz-part-number-marker} as ListParts pages them. The conditional headers act as on HEAD.
 * Stateless.
 */
final class ObjectAttributesHandler {
    static final String ATTRIBUTES_HEADER = "x-amz-object-attributes";
    /** Most parts on one page, as ListParts. */
    static final int MAX_PARTS = 1000;

    /** The attributes a client can ask for, by their wire names. */
    enum Attribute {
        ETAG("ETag"), CHECKSUM("Checksum"), OBJECT_PARTS("ObjectParts"), STORAGE_CLASS("StorageClass"),
        OBJECT_SIZE("ObjectSize");

        private final String wireName;

        Attribute(String wireName) {
            this.wireName = wireName;
        }

        static Attribute of(String name) {
            for (Attribute a : values()) {
                if (a.wireName.equalsIgnoreCase(name)) {
                    return a;
                }
            }
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid attribute name specified.")
                    .with("ArgumentName", ATTRIBUTES_HEADER).with("ArgumentValue", name);
        }
    }

    void getObjectAttributes(Call call) {
        S3Request req = call.req();
        String versionId = VersionIds.fromQuery(req);
        Set<Attribute> wanted = attributes(req);
        int maxParts = Params.intHeader(req, "x-amz-max-parts", MAX_PARTS, 0, MAX_PARTS);
        int marker = Params.intHeader(req, "x-amz-part-number-marker", 0, 0, Integer.MAX_VALUE);
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            ObjectInfo info = e.headObject(call.bucket(), call.key(), versionId);
            S3Response early = ObjectHandlers.conditional(req, info);
            if (early != null) {
                return early;
            }
            return S3Response.xml(200, S3Xml.toBytes(answer(info, wanted, maxParts, marker)))
                    .header("Last-Modified", HttpDates.format(info.lastModified()));
        });
    }

    /** The attributes asked for (the header may repeat, each a comma-separated list). */
    private static Set<Attribute> attributes(S3Request req) {
        Set<Attribute> out = EnumSet.noneOf(Attribute.class);
        for (String value : req.headers().all(ATTRIBUTES_HEADER)) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    out.add(Attribute.of(name.trim()));
                }
            }
        }
        if (out.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The " + ATTRIBUTES_HEADER
                    + " header specifying the attributes to be retrieved is either missing or empty");
        }
        return out;
    }

    static GetObjectAttributesResponse answer(ObjectInfo info, Set<Attribute> wanted, int maxParts, int marker) {
        ObjectChecksum c = wanted.contains(Attribute.CHECKSUM) ? info.checksum() : null;
        return new GetObjectAttributesResponse(
                wanted.contains(Attribute.ETAG) ? ETags.unquoted(info.etag()) : null,
                // S3 shows a composite value without its -N here
                c == null ? null : ChecksumHeaders.toXml(c.algorithm(), c.base64()),
                c == null ? null : c.type().name(),
                wanted.contains(Attribute.OBJECT_PARTS) && info.isMultipart() ? parts(info, maxParts, marker) : null,
                wanted.contains(Attribute.STORAGE_CLASS) ? "STANDARD" : null,
                wanted.contains(Attribute.OBJECT_SIZE) ? info.size() : null);
    }

    private static GetObjectAttributesResponse.ObjectParts parts(ObjectInfo info, int maxParts, int marker) {
        List<GetObjectAttributesResponse.Part> page = new ArrayList<>();
        boolean truncated = false;
        for (ObjectPart p : info.parts()) {
            if (p.partNumber() <= marker) {
                continue;
            }
            if (page.size() == maxParts) {
                truncated = true;
                break;
            }
            page.add(new GetObjectAttributesResponse.Part(p.partNumber(), p.size(), ChecksumHeaders.toXml(p.checksum())));
        }
        int next = page.isEmpty() ? 0 : page.get(page.size() - 1).partNumber();
        return new GetObjectAttributesResponse.ObjectParts(info.parts().size(), marker, next, maxParts, truncated,
                page);
    }
}
