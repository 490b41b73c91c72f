package io.tessera.server.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressingResolverTest {
    private final AddressingResolver resolver =
            new AddressingResolver(List.of("localhost", "s3.localhost", "127.0.0.1", " ", "S3.LocalHost:9000"));

    @Test
    void baseDomainsAreNormalisedDeduplicatedAndLongestFirstStably() {
        assertThat(resolver.baseDomains()).containsExactly("s3.localhost", "localhost", "127.0.0.1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "NULL", value = {
        // host,                        path,                          bucket,        key
        "localhost:9000,                /,                             NULL,          NULL",
        "localhost:9000,                '',                            NULL,          NULL",
        "localhost:9000,                /?list-type=2,                 NULL,          NULL",
        "localhost:9000,                /bucket,                       bucket,        NULL",
        "localhost:9000,                /bucket/,                      bucket,        NULL",
        "localhost:9000,                /bucket?uploads,               bucket,        NULL",
        "localhost:9000,                /bucket/key,                   bucket,        key",
        "localhost:9000,                /bucket/key/with/slashes,      bucket,        key/with/slashes",
        "localhost:9000,                /bucket/dir/,                  bucket,        dir/",
        "localhost:9000,                /bucket//lead,                 bucket,        /lead",
        "localhost:9000,                /bucket/a%2Fb,                 bucket,        a/b",
        "localhost:9000,                /bucket/a+b,                   bucket,        a+b",
        "localhost:9000,                /bucket/a%20b%2Bc,             bucket,        a b+c",
        "localhost:9000,                /bucket/%26%2B%3F%25%C3%A9/x,  bucket,        &+?%é/x",
        "localhost:9000,                /bucket/%252F,                 bucket,        %2F",
        "localhost:9000,                /bucket/k?partNumber=1,        bucket,        k",
        "s3.localhost:9000,             /bucket/k,                     bucket,        k",
        "127.0.0.1:9000,                /bucket/k,                     bucket,        k",
        "127.0.0.1,                     /bucket/k,                     bucket,        k",
        "[::1]:9000,                    /bucket/k,                     bucket,        k",
        "NULL,                          /bucket/k,                     bucket,        k",
        "minio.internal:9000,           /bucket/k,                     bucket,        k",
        "bucket.s3.localhost:9000,      /,                             bucket,        NULL",
        "bucket.s3.localhost:9000,      /key/with/slashes,             bucket,        key/with/slashes",
        "bucket.s3.localhost:9000,      //lead,                        bucket,        /lead",
        "bucket.s3.localhost:9000,      /a%2Fb?uploads,                bucket,        a/b",
        "my.dotted.bucket.s3.localhost, /k,                            my.dotted.bucket, k",
        "Bucket.S3.LocalHost.:9000,     /k,                            bucket,        k",
        "bucket.localhost,              /k,                            bucket,        k",
        "bucket.127.0.0.1:9000,         /k,                            bucket,        k",
    })
    void resolves(String host, String path, String bucket, String key) {
        RequestTarget t = resolver.resolve(host, path);
        assertThat(t.bucket()).isEqualTo(bucket);
        assertThat(t.key()).isEqualTo(key);
    }

    @Test
    void reportsTheAddressingStyle() {
        assertThat(resolver.resolve("b.s3.localhost", "/k").virtualHosted()).isTrue();
        assertThat(resolver.resolve("s3.localhost", "/b/k").virtualHosted()).isFalse();
    }

    @Test
    void longestBaseDomainWins() {
        // "bucket.s3.localhost" also ends with ".localhost"; the bucket is "bucket", not "bucket.s3".
        assertThat(resolver.resolve("bucket.s3.localhost", "/k").bucket()).isEqualTo("bucket");
        // the base domain itself is path-style, although "s3.localhost" ends with ".localhost"
        assertThat(resolver.resolve("s3.localhost", "/b/k").bucket()).isEqualTo("b");
    }

    @Test
    void withoutBaseDomainsEverythingIsPathStyle() {
        AddressingResolver pathOnly = new AddressingResolver(List.of());
        RequestTarget t = pathOnly.resolve("bucket.s3.localhost", "/other/k");
        assertThat(t).isEqualTo(new RequestTarget("other", "k", false));
    }

    @Test
    void bucketsAreNotValidatedHere() {
        assertThat(resolver.resolve("localhost", "/Invalid_Bucket/k").bucket()).isEqualTo("Invalid_Bucket");
    }

    @Test
    void keyOf1024BytesIsAcceptedAnd1025IsTooLong() {
        assertThat(resolver.resolve("localhost", "/b/" + "a".repeat(1024)).key()).hasSize(1024);
        S3Exception e = failure("localhost", "/b/" + "a".repeat(1025));
        assertThat(e.code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG);
        assertThat(e.details()).containsEntry("Size", "1025").containsEntry("MaxSizeAllowed", "1024");
    }

    @Test
    void keyLengthCountsDecodedUtf8Bytes() {
        // 341 three-byte characters = 1023 bytes, 9 encoded characters each in the URL
        String ok = "%E2%82%AC".repeat(341) + "a";
        assertThat(resolver.resolve("localhost", "/b/" + ok).key()).hasSize(342);
        assertThat(failure("localhost", "/b/" + ok + "b").code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG);
        assertThat(failure("b.s3.localhost", "/" + ok + "b").code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG);
    }

    @ParameterizedTest
    @CsvSource({"/b/a%", "/b/a%2", "/b/a%zz", "/b/%C3", "/b/%FF%FE", "b/k", "*"})
    void badPathsAreInvalidArgument(String path) {
        assertThat(failure("localhost", path).code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void emptyPathStyleBucketIsInvalid() {
        assertThat(failure("localhost", "//k").code()).isEqualTo(S3ErrorCode.INVALID_BUCKET_NAME);
    }

    private S3Exception failure(String host, String path) {
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> resolver.resolve(host, path));
        assertThat(e).as("%s %s must fail", host, path).isNotNull();
        return e;
    }
}
