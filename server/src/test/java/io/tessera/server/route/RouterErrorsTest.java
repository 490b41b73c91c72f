package io.tessera.server.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The router's refusals: NotImplemented, MethodNotAllowed and InvalidArgument. */
class RouterErrorsTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, /b?policy", "PUT, /b?policy",
        "GET, /b?website", "GET, /b?encryption", "GET, /b?object-lock", "GET, /b?notification",
        "GET, /b?logging", "GET, /b?replication", "GET, /b?requestPayment", "GET, /b?ownershipControls",
        "GET, /b?publicAccessBlock", "GET, /b?policyStatus", "GET, /b?accelerate",
        "GET, /b?analytics&id=x", "GET, /b?inventory", "GET, /b?metrics", "GET, /b?intelligent-tiering",
        "GET, /b/k?legal-hold", "GET, /b/k?retention", "GET, /b/k?torrent",
        "POST, /b/k?restore", "POST, /b/k?select&select-type=2", "GET, /b?session",
        "GET, /b/k?acl&legal-hold"
    })
    void unsupportedFeaturesAreNotImplemented(String method, String uri) {
        assertThat(fail(method, uri, Set.of()).code()).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "PUT, /", "POST, /", "DELETE, /", "HEAD, /",
        "PATCH, /b", "PATCH, /b/k", "TRACE, /b", "get, /b",
        "POST, /b/k", "PUT, /b?uploads", "DELETE, /b?uploads", "POST, /b?uploads",
        "PUT, /b?location", "DELETE, /b?delete", "GET, /b?delete", "HEAD, /b?location",
        "GET, /b/k?uploads", "HEAD, /b/k?uploadId=x", "PUT, /b/k?uploads", "DELETE, /b/k?uploads",
        "POST, /b/k?delete", "GET, /b/k?location", "GET, /b?location&uploads", "POST, /b?delete&uploads",
        "GET, /b?attributes", "HEAD, /b/k?attributes", "PUT, /b/k?attributes", "DELETE, /b/k?attributes",
        "POST, /b/k?attributes", "GET, /b/k?attributes&uploadId=x",
        "HEAD, /b?lifecycle", "POST, /b?lifecycle", "GET, /b/k?lifecycle", "PUT, /b/k?lifecycle",
        "DELETE, /b/k?lifecycle", "GET, /b?lifecycle&uploads", "PUT, /b?lifecycle&location",
        "GET, /b?uploads&acl", "DELETE, /b?acl", "HEAD, /b?tagging", "POST, /b?tagging", "POST, /b?cors",
        "DELETE, /b/k?acl", "POST, /b/k?tagging", "HEAD, /b/k?acl", "GET, /b/k?cors", "PUT, /b/k?cors",
        "PUT, /b/k?tagging&uploadId=u&partNumber=1", "GET, /b?tagging&cors", "PUT, /b?acl&tagging"
    })
    void methodOrSubresourceNotValidOnTheResource(String method, String uri) {
        S3Exception e = fail(method, uri, Set.of());
        assertThat(e.code()).isEqualTo(S3ErrorCode.METHOD_NOT_ALLOWED);
        assertThat(e.details()).containsEntry("Method", method).containsKey("ResourceType");
    }

    @Test
    void methodNotAllowedNamesTheResourceType() {
        assertThat(fail("PUT", "/", Set.of()).details()).containsEntry("ResourceType", "SERVICE");
        assertThat(fail("PATCH", "/b", Set.of()).details()).containsEntry("ResourceType", "BUCKET");
        assertThat(fail("POST", "/b/k", Set.of()).details()).containsEntry("ResourceType", "OBJECT");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, /b?list-type=1", "GET, /b?list-type=3", "GET, /b?list-type",
        "PUT, /b/k?partNumber=1", "PUT, /b/k?uploadId=u",
        "POST, /b/k?uploads&uploadId=u"
    })
    void badArgumentsAreInvalidArgument(String method, String uri) {
        assertThat(fail(method, uri, Set.of()).code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void copySourceOnPartNumberWithoutUploadIdIsStillRejected() {
        assertThat(fail("PUT", "/b/k?partNumber=1", Set.of("X-Amz-Copy-Source")).code())
                .isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void copySourceHeaderIsMatchedIgnoringCase() {
        Route r = TestRequests.route("PUT", "localhost", "/b/k", Set.of("X-Amz-Copy-Source"));
        assertThat(r.operation()).isEqualTo(Operation.CopyObject);
    }

    @Test
    void copySourceHeaderIsIgnoredOutsidePut() {
        Set<String> copy = Set.of("x-amz-copy-source");
        assertThat(TestRequests.route("GET", "localhost", "/b/k", copy).operation()).isEqualTo(Operation.GetObject);
        assertThat(TestRequests.route("POST", "localhost", "/b/k?uploads", copy).operation())
                .isEqualTo(Operation.CreateMultipartUpload);
    }

    @Test
    void partNumberOnReadsIsAnOrdinaryParameter() {
        assertThat(TestRequests.route("GET", "localhost", "/b/k?partNumber=2", Set.of()).operation())
                .isEqualTo(Operation.GetObject);
        assertThat(TestRequests.route("GET", "localhost", "/b/k?uploadId=u&partNumber=2", Set.of()).operation())
                .isEqualTo(Operation.ListParts);
    }

    @Test
    void unknownParametersAreIgnored() {
        assertThat(TestRequests.route("GET", "localhost", "/b?x-id=ListObjects&foo=bar", Set.of()).operation())
                .isEqualTo(Operation.ListObjects);
        assertThat(TestRequests.route("PUT", "localhost",
                "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc", Set.of()).operation())
                .isEqualTo(Operation.PutObject);
    }

    @Test
    void nullQueryAndHeadersAreEmpty() {
        Route r = new Router().route("PUT", "b", "k", null, null);
        assertThat(r).isEqualTo(new Route(Operation.PutObject, "b", "k"));
    }

    @Test
    void keyWithoutBucketIsAProgrammingError() {
        Throwable t = catchThrowableOfType(IllegalArgumentException.class,
                () -> new Router().route("GET", null, "k", Map.of(), h -> false));
        assertThat(t).isNotNull();
    }

    @Test
    void emptyUploadIdStillSelectsTheMultipartOperation() {
        Map<String, List<String>> q = Map.of("uploadId", List.of(""), "partNumber", List.of("1"));
        assertThat(new Router().route("PUT", "b", "k", q, h -> false).operation()).isEqualTo(Operation.UploadPart);
    }

    private static S3Exception fail(String method, String uri, Set<String> headers) {
        S3Exception e = catchThrowableOfType(S3Exception.class,
                () -> TestRequests.route(method, "localhost:9000", uri, headers));
        assertThat(e).as("%s %s must fail", method, uri).isNotNull();
        return e;
    }
}
