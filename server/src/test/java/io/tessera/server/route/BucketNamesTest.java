package io.tessera.server.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "abc", "my-bucket", "my.bucket", "docexamplebucket1", "log-delivery-march-2020", "my-hosted-content",
        "a1b", "1bucket", "bucket1", "a.b.c", "192.168.5", "1.2.3.4.5", "x-n--abc", "xn-abc",
        "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyza" // 63 characters
    })
    void valid(String name) {
        assertThat(BucketNames.isValid(name)).isTrue();
        assertThat(BucketNames.validate(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "a", "ab", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyzab", // 64 characters
        "MyBucket", "my_bucket", "my bucket", "alpha!soup", "bücket",
        "-bucket", "bucket-", ".bucket", "bucket.", "my..bucket", "foo.-bar", "foo-.bar",
        "192.168.5.4", "10.0.0.1", "0.0.0.0",
        "xn--bucket", "sthree-bucket", "amzn-s3-demo-bucket",
        "bucket-s3alias", "bucket--ol-s3", "bucket.mrap", "bucket--x-s3", "bucket--table-s3"
    })
    void invalid(String name) {
        assertThat(BucketNames.isValid(name)).isFalse();
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> BucketNames.validate(name));
        assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_BUCKET_NAME);
        assertThat(e.details()).containsEntry("BucketName", name);
    }

    @Test
    void nullIsInvalid() {
        assertThat(BucketNames.isValid(null)).isFalse();
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> BucketNames.validate(null));
        assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_BUCKET_NAME);
    }
}
