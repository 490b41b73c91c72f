package io.tessera.server.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UrlEncodingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // the s3-tests encoding cases (test_bucket_list_encoding_basic)
        "asdf+b|asdf%2Bb",
        "foo+1/|foo%2B1/",
        "quux ab/|quux%20ab/",
        "foo/|foo/",
        // unreserved characters and '/' stay, everything else is %XX in uppercase hex over UTF-8
        "AZaz09-._~/|AZaz09-._~/",
        "a*b|a%2Ab",
        "100%.csv|100%25.csv",
        "한글/x.txt|%ED%95%9C%EA%B8%80/x.txt",
        "€|%E2%82%AC",
        "\uD83D\uDE00|%F0%9F%98%80",
        "!\"#$&'()+,:;=?@[]|%21%22%23%24%26%27%28%29%2B%2C%3A%3B%3D%3F%40%5B%5D",
        "tab\there|tab%09here",
    })
    void encodesLikeS3(String raw, String encoded) {
        assertThat(UrlEncoding.encodeKey(raw)).isEqualTo(encoded);
    }

    @Test
    void controlCharactersAreEncoded() {
        assertThat(UrlEncoding.encodeKey("a\u0001\n\r")).isEqualTo("a%01%0A%0D");
    }

    @Test
    void plainValuesAreReturnedAsIs() {
        String key = "photos/2006/January/sample.jpg";
        assertThat(UrlEncoding.encodeKey(key)).isSameAs(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b+c", "ü/ö?x=1&y", "%2F", "~*'()", "\uD83D\uDE00 x"})
    void formDecodersGetTheKeyBack(String key) {
        // botocore (unquote_plus) and the Java SDK (URLDecoder) read %20 as a space and %2B as a plus
        assertThat(URLDecoder.decode(UrlEncoding.encodeKey(key), StandardCharsets.UTF_8)).isEqualTo(key);
    }

    @Test
    void encodingTypeParameter() {
        assertThat(UrlEncoding.checkEncodingType(null)).isNull();
        assertThat(UrlEncoding.checkEncodingType("url")).isEqualTo("url");
        assertThat(UrlEncoding.checkEncodingType("URL")).isEqualTo("url");
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> UrlEncoding.checkEncodingType("base64"));
        assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThat(e.details()).containsEntry("ArgumentName", "encoding-type");
    }

    @Test
    void applyOnlyEncodesForUrl() {
        assertThat(UrlEncoding.apply("a b", null)).isEqualTo("a b");
        assertThat(UrlEncoding.apply("a b", "url")).isEqualTo("a%20b");
        assertThat(UrlEncoding.apply(null, "url")).isNull();
    }
}
