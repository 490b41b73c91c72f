package io.tessera.server.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request lines from the examples of the AWS S3 API reference (Garage's {@code test_aws_doc_examples} idea), each
 * routed three ways: path-style on {@code localhost:9000}, virtual-hosted on {@code examplebucket.s3.localhost:9000}
 * and path-style on {@code 127.0.0.1}. The paths below are relative to the bucket.
 */
class RouterAwsExamplesTest {
    private static final Set<String> COPY = Set.of("x-amz-copy-source");
    private static final Set<String> NONE = Set.of();

    static Stream<Arguments> examples() {
        return Stream.of(
                ex("PUT", "/", NONE, Operation.CreateBucket),
                ex("HEAD", "/", NONE, Operation.HeadBucket),
                ex("DELETE", "/", NONE, Operation.DeleteBucket),
                ex("GET", "/?location", NONE, Operation.GetBucketLocation),
                ex("GET", "/", NONE, Operation.ListObjects),
                ex("GET", "/?prefix=N&marker=Ned&max-keys=40", NONE, Operation.ListObjects),
                ex("GET", "/?delimiter=/", NONE, Operation.ListObjects),
                ex("GET", "/?prefix=photos/2006/&delimiter=/", NONE, Operation.ListObjects),
                ex("GET", "/?delimiter=D&encoding-type=EncodingType&marker=Marker&max-keys=1&prefix=Prefix",
                        NONE, Operation.ListObjects),
                ex("GET", "/?list-type=2", NONE, Operation.ListObjectsV2),
                ex("GET", "/?list-type=2&max-keys=3&prefix=E&start-after=ExampleGuide.pdf", NONE,
                        Operation.ListObjectsV2),
                ex("GET", "/?list-type=2&delimiter=/", NONE, Operation.ListObjectsV2),
                ex("GET", "/?list-type=2&continuation-token=1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", NONE,
                        Operation.ListObjectsV2),
                ex("GET", "/?list-type=2&continuation-token=ContinuationToken&delimiter=D&encoding-type=url"
                        + "&fetch-owner=true&max-keys=1&prefix=Prefix&start-after=StartAfter", NONE,
                        Operation.ListObjectsV2),
                ex("GET", "/?uploads&max-uploads=3", NONE, Operation.ListMultipartUploads),
                ex("GET", "/?uploads&delimiter=/", NONE, Operation.ListMultipartUploads),
                ex("GET", "/?uploads&delimiter=/&prefix=photos/2006/", NONE, Operation.ListMultipartUploads),
                ex("GET", "/?uploads&delimiter=D&encoding-type=url&key-marker=KeyMarker&max-uploads=1"
                        + "&prefix=Prefix&upload-id-marker=UploadIdMarker", NONE, Operation.ListMultipartUploads),
                ex("POST", "/?delete", NONE, Operation.DeleteObjects),
                ex("PUT", "/my-image.jpg", NONE, Operation.PutObject),
                ex("PUT", "/Key+", NONE, Operation.PutObject),
                ex("PUT", "/photos/2006/January/sample.jpg?x-id=PutObject", NONE, Operation.PutObject),
                ex("PUT", "/my-second-image.jpg", COPY, Operation.CopyObject),
                ex("GET", "/my-image.jpg", NONE, Operation.GetObject),
                ex("GET", "/myObject?versionId=3/L4kqtJlcpXroDTDmpUMLUo", NONE, Operation.GetObject),
                ex("GET", "/Junk3.txt?response-cache-control=No-cache&response-content-disposition="
                        + "attachment%3B%20filename%3Dtesting.txt&response-content-encoding=x-gzip"
                        + "&response-content-language=mi%2C%20en&response-expires=Thu%2C%2001%20Dec%201994"
                        + "%2016:00:00%20GMT", NONE, Operation.GetObject),
                ex("GET", "/Key+?partNumber=1&response-content-type=ResponseContentType&versionId=VersionId",
                        NONE, Operation.GetObject),
                ex("GET", "/example-object?attributes", NONE, Operation.GetObjectAttributes),
                ex("GET", "/Key+?attributes&versionId=VersionId", NONE, Operation.GetObjectAttributes),
                ex("HEAD", "/my-image.jpg", NONE, Operation.HeadObject),
                ex("HEAD", "/my-image.jpg?versionId=3HL4kqCxf3vjVBH40Nrjfkd", NONE, Operation.HeadObject),
                ex("HEAD", "/Key+?partNumber=3&versionId=VersionId", NONE, Operation.HeadObject),
                ex("DELETE", "/my-second-image.jpg", NONE, Operation.DeleteObject),
                ex("DELETE", "/my-third-image.jpg?versionId=UIORUnfndfiufdisojhr398493jfdkjFJjkndnqUifhnw89493jJFJ",
                        NONE, Operation.DeleteObject),
                ex("POST", "/example-object?uploads", NONE, Operation.CreateMultipartUpload),
                ex("POST", "/%7BKey+%7D?uploads", NONE, Operation.CreateMultipartUpload),
                ex("PUT", "/my-movie.m2ts?partNumber=1"
                        + "&uploadId=VCVsb2FkIElEIGZvciBlbZZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZR",
                        NONE, Operation.UploadPart),
                ex("PUT", "/Key+?partNumber=2&uploadId=UploadId", NONE, Operation.UploadPart),
                ex("PUT", "/newobject?partNumber=2&uploadId=VCVsb2FkIElEIGZvciBlbZZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZR",
                        COPY, Operation.UploadPartCopy),
                ex("PUT", "/Key+?partNumber=3&uploadId=UploadId", COPY, Operation.UploadPartCopy),
                ex("POST", "/example-object?uploadId=AAAsb2FkIElEIGZvciBlbHZpbmcncyWeeS1tb3ZpZS5tMnRzIRRwbG9hZA",
                        NONE, Operation.CompleteMultipartUpload),
                ex("POST", "/Key+?uploadId=UploadId", NONE, Operation.CompleteMultipartUpload),
                ex("DELETE", "/example-object?uploadId=VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZ",
                        NONE, Operation.AbortMultipartUpload),
                ex("DELETE", "/Key+?uploadId=UploadId", NONE, Operation.AbortMultipartUpload),
                ex("GET", "/example-object?uploadId=XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA"
                        + "&max-parts=2&part-number-marker=1", NONE, Operation.ListParts),
                ex("GET", "/Key+?max-parts=2&part-number-marker=2&uploadId=UploadId", NONE, Operation.ListParts),
                ex("PUT", "/?lifecycle", NONE, Operation.PutBucketLifecycleConfiguration),
                ex("GET", "/?lifecycle", NONE, Operation.GetBucketLifecycleConfiguration),
                ex("DELETE", "/?lifecycle", NONE, Operation.DeleteBucketLifecycle),
                ex("GET", "/example-object?tagging", NONE, Operation.GetObjectTagging),
                ex("GET", "/Key+?tagging&versionId=VersionId", NONE, Operation.GetObjectTagging),
                ex("PUT", "/object-key?tagging", NONE, Operation.PutObjectTagging),
                ex("DELETE", "/exampleobject?tagging", NONE, Operation.DeleteObjectTagging),
                ex("GET", "/?tagging", NONE, Operation.GetBucketTagging),
                ex("PUT", "/?tagging", NONE, Operation.PutBucketTagging),
                ex("DELETE", "/?tagging", NONE, Operation.DeleteBucketTagging),
                ex("GET", "/?cors", NONE, Operation.GetBucketCors),
                ex("PUT", "/?cors", NONE, Operation.PutBucketCors),
                ex("DELETE", "/?cors", NONE, Operation.DeleteBucketCors),
                ex("GET", "/?acl", NONE, Operation.GetBucketAcl),
                ex("PUT", "/?acl", NONE, Operation.PutBucketAcl),
                ex("GET", "/my-image.jpg?acl", NONE, Operation.GetObjectAcl),
                ex("GET", "/my-image.jpg?acl&versionId=3HL4kqtJlcpXroDTDmjVBH40Nrjfkd", NONE, Operation.GetObjectAcl),
                ex("PUT", "/my-image.jpg?acl", NONE, Operation.PutObjectAcl),
                ex("POST", "/", NONE, Operation.PostObject),
                ex("OPTIONS", "/", NONE, Operation.PreflightBucket),
                ex("OPTIONS", "/exampleobject", NONE, Operation.PreflightObject),
                ex("OPTIONS", "/exampleobject?partNumber=1&uploadId=U&X-Amz-Signature=s", NONE,
                        Operation.PreflightObject),
                ex("OPTIONS", "/?versioning", NONE, Operation.PreflightBucket),
                ex("PUT", "/?versioning", NONE, Operation.PutBucketVersioning),
                ex("GET", "/?versioning", NONE, Operation.GetBucketVersioning),
                ex("GET", "/?versions&prefix=photos/2006/&max-keys=3&key-marker=a&version-id-marker=null", NONE,
                        Operation.ListObjectVersions));
    }

    private static Arguments ex(String method, String path, Set<String> headers, Operation expected) {
        return Arguments.of(method, path, headers, expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("examples")
    void pathStyle(String method, String path, Set<String> headers, Operation expected) {
        Route r = TestRequests.route(method, "localhost:9000", "/examplebucket" + path, headers);
        check(r, expected, path);
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("examples")
    void virtualHosted(String method, String path, Set<String> headers, Operation expected) {
        Route r = TestRequests.route(method, "examplebucket.s3.localhost:9000", path, headers);
        check(r, expected, path);
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("examples")
    void pathStyleOnIpAddress(String method, String path, Set<String> headers, Operation expected) {
        Route r = TestRequests.route(method, "127.0.0.1:9000", "/examplebucket" + path, headers);
        check(r, expected, path);
    }

    @Test
    void listBucketsOnEveryBaseHost() {
        for (String host : List.of("localhost", "localhost:9000", "s3.localhost:9000", "127.0.0.1:9000",
                "LOCALHOST.", "other.example:80")) {
            assertThat(TestRequests.route("GET", host, "/", Set.of()))
                    .isEqualTo(new Route(Operation.ListBuckets, null, null));
        }
    }

    @Test
    void everyOperationHasAnExample() {
        EnumSet<Operation> seen = EnumSet.noneOf(Operation.class);
        examples().forEach(a -> seen.add((Operation) a.get()[3]));
        seen.add(Operation.ListBuckets);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(Arrays.asList(Operation.values()));
    }

    private static void check(Route r, Operation expected, String path) {
        assertThat(r.operation()).isEqualTo(expected);
        assertThat(r.bucket()).isEqualTo("examplebucket");
        assertThat(r.operation().targetsObject()).isEqualTo(r.key() != null);
        if (r.key() != null) {
            String rawKey = path.substring(1).split("\\?", 2)[0];
            assertThat(r.key()).isEqualTo(ObjectKeys.percentDecode(rawKey));
        }
    }
}
