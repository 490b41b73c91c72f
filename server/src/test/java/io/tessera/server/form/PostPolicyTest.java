package io.tessera.server.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostPolicyTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static S3Exception failure(Runnable r) {
        return catchThrowableOfType(S3Exception.class, r::run);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "[]", "{\"conditions\": []}", "{\"expiration\": \"2026-12-01T00:00:00Z\"}",
        "{\"EXPIRATION\": \"2026-12-01T00:00:00Z\", \"conditions\": []}",
        "{\"expiration\": \"2026-12-01T00:00:00Z\", \"CONDITIONS\": []}",
        "{\"expiration\": \"tomorrow\", \"conditions\": []}",
        "{\"expiration\": \"2026-12-01T00:00:00Z\", \"conditions\": [[\"content-length-range\", 10, 5]]}",
        "{\"expiration\": \"2026-12-01T00:00:00Z\", \"conditions\": [[\"content-length-range\", \"a\", 5]]}",
        "{\"expiration\": \"2026-12-01T00:00:00Z\", \"conditions\": [[\"matches\", \"$key\", \"x\"]]}",
        "{\"expiration\": \"2026-12-01T00:00:00Z\", \"conditions\": [[\"eq\", \"key\", \"x\"]]}",
        "{\"expiration\": \"2026-12-01T00:00:00Z\", \"conditions\": [42]}"
    })
    void unusablePoliciesAreInvalidPolicyDocuments(String json) {
        S3Exception e = failure(() -> PostPolicy.parse(b64(json)));
        assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_POLICY_DOCUMENT);
    }

    @Test
    void conditionsAreCheckedAgainstTheFields() {
        PostPolicy p = PostPolicy.parse(b64("{\"expiration\": \"2026-12-01T12:00:00.000Z\", \"conditions\": ["
                + "{\"bucket\": \"b\"}, [\"starts-with\", \"$Key\", \"user/\"], [\"eq\", \"$acl\", \"private\"],"
                + " [\"starts-with\", \"$Content-Type\", \"\"], [\"content-length-range\", \"1\", 100]]}"));
        assertThat(p.lengthRange()).isEqualTo(new PostPolicy.LengthRange(1, 100));
        Map<String, String> ok = Map.of("key", "user/a", "acl", "private", "content-type", "x",
                "policy", "p", "x-amz-signature", "s", "x-ignore-me", "1");
        p.check(ok, "b", NOW);

        assertThat(failure(() -> p.check(ok, "other", NOW)).getMessage())
                .isEqualTo("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"b\"]");
        assertThat(failure(() -> p.check(Map.of("key", "USER/a", "acl", "private", "content-type", "x"), "b", NOW))
                .getMessage()).contains("[\"starts-with\", \"$Key\", \"user/\"]");
        assertThat(failure(() -> p.check(Map.of("key", "user/a", "acl", "private"), "b", NOW)).getMessage())
                .as("a condition on an absent field fails").contains("$Content-Type");
        S3Exception extra = failure(() -> p.check(Map.of("key", "user/a", "acl", "private", "content-type", "x",
                "success_action_status", "201"), "b", NOW));
        assertThat(extra.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
        assertThat(extra.getMessage()).isEqualTo("Invalid according to Policy: Extra input fields: success_action_status");
        assertThat(failure(() -> p.check(ok, "b", Instant.parse("2026-12-01T12:00:00Z"))).getMessage())
                .isEqualTo("Invalid according to Policy: Policy expired.");
    }
}
