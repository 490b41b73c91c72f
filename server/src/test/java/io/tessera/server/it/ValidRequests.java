package io.tessera.server.it;

import io.tessera.server.it.SignedWire.Payload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Valid, SDK-signed requests of every kind that changes what a node stores (and a few that only read),
 * against a {@link Fixture} of existing buckets, objects and an upload. The fuzz tests change them
 * before sending; sent as built, each one succeeds. Thread-safe (fresh names come from an atomic counter).
 */
final class ValidRequests {
    private static final AtomicInteger FRESH = new AtomicInteger();

    private ValidRequests() {
    }

    /**
     * What the requests work on: a bucket with an object and an upload holding two parts, and an empty
     * bucket.
     */
    record Fixture(String bucket, String emptyBucket, String objectKey, String uploadKey, String uploadId,
                   List<String> partEtags) {
        /** The content of the fixture's object. */
        static final String OBJECT_BYTES = "the object's bytes";

        static Fixture create(S3Client s3, String prefix) {
            String bucket = prefix + "-data";
            String empty = prefix + "-empty";
            s3.createBucket(b -> b.bucket(bucket));
            s3.createBucket(b -> b.bucket(empty));
            s3.putObject(b -> b.bucket(bucket).key("object").metadata(Map.of("color", "blue")),
                    RequestBody.fromString(OBJECT_BYTES));
            s3.putObject(b -> b.bucket(bucket).key("dir/with space+plus"), RequestBody.fromString("x"));
            String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("upload")).uploadId();
            byte[] first = new byte[(int) TestNode.MIN_PART];
            new Random(1).nextBytes(first);
            String e1 = s3.uploadPart(b -> b.bucket(bucket).key("upload").uploadId(id).partNumber(1),
                    RequestBody.fromBytes(first)).eTag();
            String e2 = s3.uploadPart(b -> b.bucket(bucket).key("upload").uploadId(id).partNumber(2),
                    RequestBody.fromString("last part")).eTag();
            return new Fixture(bucket, empty, "object", "upload", id, List.of(e1, e2));
        }
    }

    /** The request kinds. */
    enum Kind {
        PUT_OBJECT_SHA256(true), PUT_OBJECT_STREAMING(true), PUT_OBJECT_STREAMING_TRAILER(true),
        PUT_OBJECT_UNSIGNED_TRAILER(true), UPLOAD_PART_STREAMING(true), COMPLETE_UPLOAD(true), ABORT_UPLOAD(false),
        CREATE_UPLOAD(false), DELETE_OBJECT(false), DELETE_OBJECTS(true), COPY_OBJECT(false), CREATE_BUCKET(false),
        DELETE_BUCKET(false), GET_OBJECT(false), HEAD_OBJECT(false), LIST_OBJECTS(false);

        final boolean hasBody;

        Kind(boolean hasBody) {
            this.hasBody = hasBody;
        }

        /** Whether the valid request writes a body upload (a changed body byte may then still mean the same). */
        boolean streamsUpload() {
            return this == PUT_OBJECT_STREAMING || this == PUT_OBJECT_STREAMING_TRAILER
                    || this == PUT_OBJECT_UNSIGNED_TRAILER || this == UPLOAD_PART_STREAMING;
        }
    }

    /**
     * A valid request and what a successful upload would have stored.
     *
     * @param key        the key the request writes (uploads only), or null
     * @param partNumber the part number it writes (UploadPart only), or 0
     * @param payload    the payload it writes (uploads only), or null
     */
    record Built(Kind kind, SignedWire.Request request, String key, int partNumber, byte[] payload) {
    }

    static Built build(Kind kind, Fixture f, int port, Random random, Instant at) {
        String b = "/" + f.bucket();
        String objectPath = b + "/" + f.objectKey();
        String uploadPath = b + "/" + f.uploadKey();
        int n = FRESH.incrementAndGet();
        String newKey = "new/" + n + " ü+%~";
        String newPath = b + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(newKey);
        Map<String, List<String>> meta = Map.of("x-amz-meta-fuzz", List.of("v" + n), "Content-Type",
                List.of("text/plain"));
        return switch (kind) {
            case PUT_OBJECT_SHA256 -> upload(kind, port, newPath, List.of(), meta, random, 4096, Payload.SHA256, at,
                    newKey, 0);
            case PUT_OBJECT_STREAMING -> upload(kind, port, newPath, List.of(), meta, random, 200_000,
                    Payload.STREAMING_SIGNED, at, newKey, 0);
            case PUT_OBJECT_STREAMING_TRAILER -> upload(kind, port, newPath, List.of(), meta, random, 200_000,
                    Payload.STREAMING_SIGNED_TRAILER, at, newKey, 0);
            case PUT_OBJECT_UNSIGNED_TRAILER -> upload(kind, port, newPath, List.of(), meta, random, 200_000,
                    Payload.STREAMING_UNSIGNED_TRAILER, at, newKey, 0);
            case UPLOAD_PART_STREAMING -> {
                int part = 3 + n % 9000;
                yield upload(kind, port, uploadPath, List.of(Map.entry("partNumber", Integer.toString(part)),
                        Map.entry("uploadId", f.uploadId())), Map.of(), random, 200_000,
                        Payload.STREAMING_SIGNED_TRAILER, at, f.uploadKey(), part);
            }
            case COMPLETE_UPLOAD -> {
                StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
                for (int i = 0; i < f.partEtags().size(); i++) {
                    xml.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>")
                            .append(f.partEtags().get(i)).append("</ETag></Part>");
                }
                xml.append("</CompleteMultipartUpload>");
                yield plain(kind, SignedWire.sign(port, "POST", uploadPath, List.of(Map.entry("uploadId", f.uploadId())),
                        Map.of(), xml.toString().getBytes(StandardCharsets.UTF_8), Payload.SHA256, at));
            }
            case ABORT_UPLOAD -> plain(kind, SignedWire.sign(port, "DELETE", uploadPath,
                    List.of(Map.entry("uploadId", f.uploadId())), Map.of(), null, Payload.SHA256, at));
            case CREATE_UPLOAD -> plain(kind, SignedWire.sign(port, "POST", newPath, List.of(Map.entry("uploads", "")),
                    meta, null, Payload.SHA256, at));
            case DELETE_OBJECT -> plain(kind, SignedWire.sign(port, "DELETE", objectPath, List.of(), Map.of(), null,
                    Payload.SHA256, at));
            case DELETE_OBJECTS -> {
                byte[] xml = ("<Delete><Object><Key>" + f.objectKey() + "</Key></Object>"
                        + "<Object><Key>dir/with space+plus</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8);
                yield plain(kind, SignedWire.sign(port, "POST", b, List.of(Map.entry("delete", "")),
                        Map.of("Content-MD5", List.of(md5Base64(xml))), xml, Payload.SHA256, at));
            }
            case COPY_OBJECT -> plain(kind, SignedWire.sign(port, "PUT", newPath, List.of(),
                    Map.of("x-amz-copy-source", List.of(f.bucket() + "/" + f.objectKey())), null, Payload.SHA256, at));
            case CREATE_BUCKET -> plain(kind, SignedWire.sign(port, "PUT", "/" + f.bucket() + "-new" + n, List.of(),
                    Map.of(), null, Payload.SHA256, at));
            case DELETE_BUCKET -> plain(kind, SignedWire.sign(port, "DELETE", "/" + f.emptyBucket(), List.of(),
                    Map.of(), null, Payload.SHA256, at));
            case GET_OBJECT -> plain(kind, SignedWire.sign(port, "GET", objectPath, List.of(), Map.of(), null,
                    Payload.SHA256, at));
            case HEAD_OBJECT -> plain(kind, SignedWire.sign(port, "HEAD", objectPath, List.of(), Map.of(), null,
                    Payload.SHA256, at));
            case LIST_OBJECTS -> plain(kind, SignedWire.sign(port, "GET", b, List.of(Map.entry("list-type", "2"),
                    Map.entry("prefix", "dir/")), Map.of(), null, Payload.SHA256, at));
        };
    }

    private static Built plain(Kind kind, SignedWire.Request r) {
        return new Built(kind, r, null, 0, null);
    }

    private static Built upload(Kind kind, int port, String path, List<Map.Entry<String, String>> query,
                                Map<String, List<String>> headers, Random random, int maxSize, Payload payload,
                                Instant at, String key, int partNumber) {
        byte[] data = new byte[random.nextInt(4) == 0 ? random.nextInt(64) : random.nextInt(maxSize + 1)];
        random.nextBytes(data);
        return new Built(kind, SignedWire.sign(port, "PUT", path, query, headers, data, payload, at), key, partNumber,
                data);
    }

    static String md5Base64(byte[] data) {
        return Base64.getEncoder().encodeToString(md5(data));
    }

    static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
