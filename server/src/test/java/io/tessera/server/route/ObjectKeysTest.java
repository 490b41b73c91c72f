package io.tessera.server.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    @Test
    void percentDecodingIsSingleAndLeavesPlusAlone() {
        assertThat(ObjectKeys.percentDecode("plain")).isEqualTo("plain");
        assertThat(ObjectKeys.percentDecode("a+b%20c")).isEqualTo("a+b c");
        assertThat(ObjectKeys.percentDecode("%252F")).isEqualTo("%2F");
        assertThat(ObjectKeys.percentDecode("%e2%82%ac%E2%82%AC")).isEqualTo("€€");
        assertThat(ObjectKeys.percentDecode("é%C3%A9")).isEqualTo("éé");
        assertThat(ObjectKeys.percentDecode("%F0%9F%98%80")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void badEscapesAreInvalidArgument() {
        for (String raw : new String[] {"%", "a%4", "%g0", "%C3%28", "%80"}) {
            S3Exception e = catchThrowableOfType(S3Exception.class, () -> ObjectKeys.percentDecode(raw));
            assertThat(e).as(raw).isNotNull();
            assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        }
    }

    @Test
    void lengthLimitCountsUtf8Bytes() {
        String emoji = "\uD83D\uDE00"; // 4 bytes
        assertThat(ObjectKeys.validate(emoji.repeat(256))).isNotNull();
        assertThat(catchThrowableOfType(S3Exception.class, () -> ObjectKeys.validate(emoji.repeat(256) + "x"))
                .code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG);
        assertThat(ObjectKeys.validate("é".repeat(512))).isNotNull();
        assertThat(catchThrowableOfType(S3Exception.class, () -> ObjectKeys.validate("é".repeat(513))).code())
                .isEqualTo(S3ErrorCode.KEY_TOO_LONG);
    }
}
