package io.tessera.server.xml;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sample documents of the golden tests, by golden file name (under {@code src/test/resources/xml}). */
final class GoldenDocuments {
    static final Owner OWNER = new Owner("75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", "webfile");

    private GoldenDocuments() {
    }

    static Map<String, S3XmlDocument> all() {
        Map<String, S3XmlDocument> docs = new LinkedHashMap<>();
        docs.put("ListAllMyBucketsResult", new ListAllMyBucketsResult(OWNER, List.of(
                new ListAllMyBucketsResult.Bucket("examplebucket", t("2019-12-11T23:32:47Z"), null),
                new ListAllMyBucketsResult.Bucket("photos", t("2026-01-02T03:04:05.678Z"), "us-east-1")),
                null, null));
        docs.put("ListAllMyBucketsResult-empty", new ListAllMyBucketsResult(null, null, "tok", "ph"));

        docs.put("ListBucketResultV1", new ListBucketResultV1("examplebucket", null, null, "photos/2006/", 2, "/",
                null, true, List.of(new ListedObject("my-image.jpg", t("2009-10-12T17:50:30Z"),
                        "fba9dede5f27731c9771645a39863328", null, null, 434234, "STANDARD",
                        new Owner(OWNER.id(), "mtd@amazon.com"))),
                List.of("photos/")));
        docs.put("ListBucketResultV1-url", new ListBucketResultV1("examplebucket", "quux ab/", "a+b", null, 1000,
                "/", "url", false, List.of(new ListedObject("asdf+b", t("2009-10-12T17:50:30Z"),
                        "\"d41d8cd98f00b204e9800998ecf8427e\"", List.of(), null, 0, "STANDARD", null)),
                List.of("foo+1/", "quux ab/")));

        docs.put("ListBucketResultV2", new ListBucketResultV2("examplebucket", "E", "ExampleGuide.pdf", null,
                "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", 2, 2, null, null, true, List.of(
                        new ListedObject("ExampleObject.txt", t("2013-09-17T18:07:53Z"),
                                "599bab3ed2c697f1d26842727561fd94", List.of("CRC32"), "FULL_OBJECT", 857,
                                "STANDARD", null),
                        new ListedObject("Ex ample&<>\"'.txt", t("2026-01-02T03:04:05.006Z"),
                                "3858f62230ac3c915f300c664312c11f-9", null, null, 47185920, null, null)),
                null));
        docs.put("ListBucketResultV2-url", new ListBucketResultV2("examplebucket", "한글/", "a b", "tok/+=", null,
                2, 1000, "/", "url", false, List.of(new ListedObject("한글/a+b c~*.txt", t("2013-09-17T18:07:53Z"),
                        "599bab3ed2c697f1d26842727561fd94", null, null, 1, "STANDARD", null)),
                List.of("한글/x y/")));

        docs.put("LocationConstraint", new LocationConstraint("eu-west-1"));
        docs.put("LocationConstraint-us-east-1", new LocationConstraint(null));

        docs.put("InitiateMultipartUploadResult", new InitiateMultipartUploadResult("example-bucket",
                "example-object", "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"));

        docs.put("CompleteMultipartUploadResult", new CompleteMultipartUploadResult(
                "http://example-bucket.s3.localhost:9000/Example-Object", "example-bucket", "Example-Object",
                "3858f62230ac3c915f300c664312c11f-9", new Checksums("i9SxDQ==-9", null, null, null, null),
                "COMPOSITE"));
        docs.put("CompleteMultipartUploadResult-minimal", new CompleteMultipartUploadResult(null, "b", "k",
                "\"b2add96cc9702bbf4efb0ccdfc6b7747-3\"", null, null));
        docs.put("CompleteMultipartUploadResult-allChecksums", new CompleteMultipartUploadResult(null, "b", "k",
                "e", new Checksums("AAAAAA==", "AAAAAQ==", "AAAAAAAAAAI=", "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
                        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="), "FULL_OBJECT"));

        docs.put("ListPartsResult", new ListPartsResult("example-bucket", "example-object",
                "XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA",
                new Owner("arn:aws:iam::111122223333:user/some-user-11116a31-17b5-4fb7-9df5-b288870f11xx",
                        "umat-user-11116a31-17b5-4fb7-9df5-b288870f11xx"),
                new Owner(OWNER.id(), null), "STANDARD", 1, 3, 2, true, List.of(
                        new ListPartsResult.Part(2, t("2010-11-10T20:48:34Z"), "7778aef83f66abc1fa1e8477f296d394",
                                10485760, null),
                        new ListPartsResult.Part(3, t("2010-11-10T20:48:33Z"),
                                "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", 10485760,
                                new Checksums(null, "yZRlqg==", null, null, null))),
                "CRC32C", "COMPOSITE"));
        docs.put("ListPartsResult-minimal", new ListPartsResult("b", "k", "u", null, null, null, 0, null, 1000,
                false, null, null, null));

        docs.put("ListMultipartUploadsResult", new ListMultipartUploadsResult("bucket", null, null,
                "my-movie.m2ts", "YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ", null, null, 3, true, null,
                List.of(new ListMultipartUploadsResult.Upload("my-divisor",
                                "XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw",
                                new Owner("arn:aws:iam::111122223333:user/user1-11111a31-17b5-4fb7-9df5-b111111f13de",
                                        "user1-11111a31-17b5-4fb7-9df5-b111111f13de"),
                                new Owner(OWNER.id(), "OwnerDisplayName"), "REDUCED_REDUNDANCY",
                                t("2010-11-10T20:48:33Z"), null, null),
                        new ListMultipartUploadsResult.Upload("my-movie.m2ts",
                                "VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA", null, null, "STANDARD",
                                t("2010-11-10T20:48:33.123Z"), "CRC32", "FULL_OBJECT")),
                null));
        docs.put("ListMultipartUploadsResult-url", new ListMultipartUploadsResult("bucket", "a b", "u+1",
                "photos/2006/a+b", "u+2", "/", "photos/2006/", 1000, false, "url",
                List.of(new ListMultipartUploadsResult.Upload("photos/2006/a+b", "u+2", null, null, null,
                        t("2010-11-10T20:48:33Z"), null, null)),
                List.of("photos/2006/February/", "photos/2006/Jan uary/")));

        docs.put("CopyObjectResult", new CopyObjectResult("9b2cf535f27731c974343645a3985328",
                t("2009-10-28T22:32:00Z"), null, null));
        docs.put("CopyObjectResult-checksum", new CopyObjectResult("\"9b2cf535f27731c974343645a3985328\"",
                t("2009-10-28T22:32:00Z"), "FULL_OBJECT", new Checksums(null, null, "AAAAAAAAAAI=", null, null)));
        docs.put("CopyPartResult", new CopyPartResult("b20b0f8f1e3a84e8e2d3f1ce1a8a1b0f",
                t("2011-04-11T20:34:56Z"), new Checksums("Vf5U3w==", null, null, null, null)));

        docs.put("DeleteResult", new DeleteResult(List.of(
                new DeleteResult.Deleted("sample1.txt", null, null, null),
                new DeleteResult.Deleted("sample2.txt", "v2", true, "dm1")),
                List.of(new DeleteResult.DeleteError("sample3.txt", null, "AccessDenied", "Access Denied"))));
        docs.put("DeleteResult-empty", new DeleteResult(null, null));

        docs.put("Error-NoSuchUpload", ErrorDocument.of(new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD)
                        .with("UploadId", "VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"),
                "/example-bucket/example-object", "4442587FB7D0A2F9", "dGVzc2VyYS1ub2RlLTE="));
        docs.put("Error-details", ErrorDocument.of(new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "bad <value> & \"quotes\"")
                        .with("ArgumentValue", "a&b").with("ArgumentName", "partNumber")
                        .with("Bad Name", "dropped").with("RequestId", "dropped"),
                null, null, null));

        docs.put("CompleteMultipartUpload", new CompleteMultipartUpload(List.of(
                new CompleteMultipartUpload.Part(1, "\"a54357aff0632cce46d942af68356b38\"", null),
                new CompleteMultipartUpload.Part(2, "0c78aef83f66abc1fa1e8477f296d394",
                        new Checksums("Vf5U3w==", null, null, null, null)))));
        docs.put("Delete", new DeleteObjectsRequest(true, List.of(
                new DeleteObjectsRequest.ObjectIdentifier("sample1.txt", null),
                new DeleteObjectsRequest.ObjectIdentifier("sample2.txt", "OYcLXagmS.WaD..oyH4KRguB95_YhLs7"))));
        docs.put("Delete-conditions", new DeleteObjectsRequest(false, List.of(
                new DeleteObjectsRequest.ObjectIdentifier("a.txt", null, "\"9b2cf535f27731c974343645a3985328\"",
                        "2026-01-02T03:04:05.000Z", "11"))));
        docs.put("CreateBucketConfiguration", new CreateBucketConfiguration("eu-west-1"));

        docs.put("GetObjectAttributesResponse", new GetObjectAttributesResponse("b2add96cc9702bbf4efb0ccdfc6b7747-3",
                new Checksums(null, null, null, null, "uWBwpe1dxI4Vw8Gf0X9ynOdw/SS6VBzfWm9giiv1sf4="), "COMPOSITE",
                new GetObjectAttributesResponse.ObjectParts(3, 0, 2, 2, true, List.of(
                        new GetObjectAttributesResponse.Part(1, 5242880,
                                new Checksums(null, null, null, null, "5xTvtQfvN3ODR9d7YuTEbbcGXEKh7Y9M1Vr8rZnRIkE=")),
                        new GetObjectAttributesResponse.Part(2, 5242880, null))),
                "STANDARD", 15728640L));
        docs.put("GetObjectAttributesResponse-etag", new GetObjectAttributesResponse(
                "9b2cf535f27731c974343645a3985328", null, null, null, null, null));
        docs.put("LifecycleConfiguration", new LifecycleConfiguration(List.of(
                new LifecycleConfiguration.Rule("abort-stale-mpu", null, new LifecycleConfiguration.Filter("tmp/"),
                        "Enabled", null, 7),
                new LifecycleConfiguration.Rule("old logs & <more>", "logs/", null, "Disabled",
                        new LifecycleConfiguration.Expiration(30, null), null),
                new LifecycleConfiguration.Rule("everything", null, new LifecycleConfiguration.Filter(null),
                        "Enabled", new LifecycleConfiguration.Expiration(null, t("2027-01-01T00:00:00Z")), 1))));
        docs.put("Tagging", new Tagging(List.of(new Tagging.Tag("env", "prod"), new Tagging.Tag("note", "a & b"),
                new Tagging.Tag("empty", ""))));
        docs.put("CORSConfiguration", new CorsConfiguration(List.of(
                new CorsConfiguration.Rule("app", List.of("https://app.example.com", "http://*.dev.example"),
                        List.of("PUT", "POST"), List.of("*"), List.of("ETag", "x-amz-request-id"), 3000),
                new CorsConfiguration.Rule(null, List.of("*"), List.of("GET"), List.of(), List.of(), null))));
        docs.put("AccessControlPolicy", new AccessControlPolicy(OWNER.id(), List.of(
                new AccessControlPolicy.Grant(AccessControlPolicy.CANONICAL_USER, OWNER.id(), "FULL_CONTROL"),
                new AccessControlPolicy.Grant(AccessControlPolicy.GROUP,
                        "http://acs.amazonaws.com/groups/global/AllUsers", "READ"))));
        docs.put("PostResponse", new PostResponse("https://examplebucket.s3.amazonaws.com/uploads%2Fhello.txt",
                "examplebucket", "uploads/hello.txt", "a54357aff0632cce46d942af68356b38"));
        docs.put("VersioningConfiguration", new VersioningConfiguration("Enabled"));
        docs.put("VersioningConfiguration-empty", new VersioningConfiguration(null));
        docs.put("ListVersionsResult", new ListVersionsResult("b", null, "a", "null", "k2", "v9", 3, "/", null, true,
                List.of(new ListVersionsResult.Entry("k1", "v3", true, false, t("2026-03-31T07:35:05Z"), "abc", 5,
                                "CRC32", "FULL_OBJECT", new Owner(OWNER.id(), null)),
                        new ListVersionsResult.Entry("k2", "v9", true, true, t("2026-03-31T07:35:06Z"), null, 0,
                                null, null, new Owner(OWNER.id(), null))),
                List.of("dir/")));
        return docs;
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }
}
