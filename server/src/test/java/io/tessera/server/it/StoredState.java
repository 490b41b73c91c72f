package io.tessera.server.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Everything a node stores, as one line per fact, read through the S3 API: buckets, objects (ETag, size,
 * content type, user metadata), multipart uploads and their parts (number, ETag, size). Two snapshots
 * are equal when nothing stored changed. Stateless.
 */
final class StoredState {
    private StoredState() {
    }

    static List<String> snapshot(S3Client s3) {
        List<String> lines = new ArrayList<>();
        for (Bucket b : s3.listBuckets().buckets()) {
            String bucket = b.name();
            lines.add("bucket " + bucket);
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(o.key()));
                lines.add(objectLine(bucket, o.key(), o.eTag(), o.size(), h.contentType(), h.metadata()));
            }
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads()) {
                lines.add("upload " + bucket + "/" + u.key() + " " + u.uploadId());
                for (Part p : s3.listPartsPaginator(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId())).parts()) {
                    lines.add(partLine(bucket, u.key(), u.uploadId(), p.partNumber()) + " " + p.eTag() + " " + p.size());
                }
            }
        }
        lines.sort(null);
        return lines;
    }

    /** The line of an object. */
    static String objectLine(String bucket, String key, String etag, long size, String contentType,
                             Map<String, String> meta) {
        return objectPrefix(bucket, key) + etag + " " + size + " " + contentType + " " + new TreeMap<>(meta);
    }

    /** What every line of that object starts with. */
    static String objectPrefix(String bucket, String key) {
        return "object " + bucket + "/" + key + " ";
    }

    /** What the line of that part starts with (ETag and size follow). */
    static String partLine(String bucket, String key, String uploadId, int number) {
        return "part " + bucket + "/" + key + " " + uploadId + " " + number;
    }
}
