package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The signer of the admin commands signs exactly as the AWS SDK does, and the node's verifier accepts
 * what it signs for the right key only.
 */
class SigV4SignerTest {
    private static final Instant AT = Instant.parse("2026-11-30T08:00:00Z");
    private static final String HOST = "127.0.0.1:9001";

    @Test
    void itsAuthorizationIsTheSdksForTheSameRequest() {
        String path = "/admin/uploads/abort";
        String query = "older-than=P7D&bucket=my%20photos&limit=250&dry-run=true";
        Map<String, String> ours = new SigV4Signer(SdkSigner.ACCESS_KEY, SdkSigner.SECRET_KEY, SdkSigner.REGION)
                .sign("POST", path, query, HOST, AT);
        SdkSigner.Signed sdk = SdkSigner.sign("POST", "http://" + HOST + path + "?" + query, Map.of(), new byte[0], AT,
                SdkSigner.Options.header());
        assertThat(ours.get("Authorization")).isEqualTo(sdk.request().header("Authorization").orElseThrow());
        assertThat(ours.get("x-amz-date")).isEqualTo("20261130T080000Z");
        assertThat(ours.get("x-amz-content-sha256")).isEqualTo(sdk.request().header("x-amz-content-sha256")
                .orElseThrow());
    }

    private static SigV4Request request(Map<String, String> signed, String rawQuery) {
        SigV4Request.Builder b = SigV4Request.builder().method("GET").rawPath("/admin/status").rawQuery(rawQuery)
                .addHeader("Host", HOST);
        signed.forEach(b::addHeader);
        return b.build();
    }

    @Test
    void theVerifierAcceptsItForTheRightKeyOnly() {
        SigV4Verifier verifier = new SigV4Verifier(InMemoryCredentialStore.of(SdkSigner.CREDENTIAL), "us-east-1");
        Map<String, String> good = new SigV4Signer(SdkSigner.ACCESS_KEY, SdkSigner.SECRET_KEY, "us-east-1")
                .sign("GET", "/admin/status", "", HOST, AT);
        AuthResult ok = verifier.verify(request(good, ""), AT.plusSeconds(5));
        assertThat(ok.credential()).isEqualTo(SdkSigner.CREDENTIAL);
        assertThat(ok.contentSha256()).isEqualTo(Crypto.EMPTY_SHA256);

        Map<String, String> wrongSecret = new SigV4Signer(SdkSigner.ACCESS_KEY, "wrong", "us-east-1")
                .sign("GET", "/admin/status", "", HOST, AT);
        assertThatThrownBy(() -> verifier.verify(request(wrongSecret, ""), AT))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH));
        assertThatThrownBy(() -> verifier.verify(request(good, "limit=1"), AT)).as("the query is signed")
                .isInstanceOf(S3Exception.class);
        assertThat(SigV4Verifier.claimedAccessKeyId(request(wrongSecret, ""))).isEqualTo(SdkSigner.ACCESS_KEY);
        assertThat(SigV4Verifier.claimedAccessKeyId(SigV4Request.builder("GET", "/x?X-Amz-Credential="
                + "AKID%2F20261130%2Fus-east-1%2Fs3%2Faws4_request").build())).isEqualTo("AKID");
        assertThat(SigV4Verifier.claimedAccessKeyId(SigV4Request.builder("GET", "/x").build())).isNull();
        assertThat(List.of(good.keySet().toArray())).containsExactly("x-amz-date", "x-amz-content-sha256",
                "Authorization");
    }
}
