package io.tessera.server.handler;

import io.tessera.engine.ObjectInfo;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.xml.S3Xml;
import java.nio.charset.StandardCharsets;

/**
 * Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging. An object's tags live in its metadata
 * ({@link ReservedMetadata#TAGGING}) and change without its bytes being rewritten; a bucket's in the
 * bucket document {@value #CONFIG}. Reading tags needs read access, changing an object's tags write
 * access, changing a bucket's the owner's. Stateless.
 */
final class TaggingHandlers {
    static final String CONFIG = "tagging";

    void getObjectTagging(Call call) {
        VersionIds.requireLive(call.req());
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            ObjectInfo info = e.headObject(call.bucket(), call.key());
            Tags tags = Tags.decodeStored(info.metadata().get(ReservedMetadata.TAGGING));
            return S3Response.xml(200, S3Xml.toBytes(tags.toXml()));
        });
    }

    void putObjectTagging(Call call) {
        VersionIds.requireLive(call.req());
        ProvenBody.read(call, (e, body, trailers) -> {
            Tags tags = Tags.fromXml(S3Xml.parseTagging(body), Tags.MAX_OBJECT_TAGS);
            call.bucket(e, call.bucket(), Access.WRITE);
            e.setMetadataEntry(call.bucket(), call.key(), ReservedMetadata.TAGGING, tags.isEmpty() ? null : tags.encode());
            return S3Response.ok();
        });
    }

    void deleteObjectTagging(Call call) {
        VersionIds.requireLive(call.req());
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.WRITE);
            e.setMetadataEntry(call.bucket(), call.key(), ReservedMetadata.TAGGING, null);
            return S3Response.noContent();
        });
    }

    void getBucketTagging(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            byte[] stored = e.bucketConfig(call.bucket(), CONFIG);
            if (stored == null) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_TAG_SET).with("BucketName", call.bucket());
            }
            Tags tags = Tags.decodeStored(new String(stored, StandardCharsets.UTF_8));
            return S3Response.xml(200, S3Xml.toBytes(tags.toXml()));
        });
    }

    void putBucketTagging(Call call) {
        ProvenBody.read(call, (e, body, trailers) -> {
            Tags tags = Tags.fromXml(S3Xml.parseTagging(body), Tags.MAX_BUCKET_TAGS);
            call.bucket(e, call.bucket(), Access.OWNER);
            e.setBucketConfig(call.bucket(), CONFIG,
                    tags.isEmpty() ? null : tags.encode().getBytes(StandardCharsets.UTF_8));
            return S3Response.noContent();
        });
    }

    void deleteBucketTagging(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.OWNER);
            e.setBucketConfig(call.bucket(), CONFIG, null);
            return S3Response.noContent();
        });
    }
}
