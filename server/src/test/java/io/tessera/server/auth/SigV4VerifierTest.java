package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Error handling and corner cases of {@link SigV4Verifier}, on hand-made requests. */
class SigV4VerifierTest {
    static final String AK = "AKIDEXAMPLE";
    static final String SK = "secret/key+1";
    static final String REGION = "eu-west-3";
    static final String DATE = "20240102T030405Z";
    static final Instant NOW = Instant.parse("2024-01-02T03:04:05Z");
    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    final InMemoryCredentialStore store = InMemoryCredentialStore.of(new Credential(AK, SK, "id", "name"));
    final SigV4Verifier verifier = new SigV4Verifier(store, REGION);

    /** A correctly signed GET /bucket/key with x-amz-content-sha256 = {@code payload}. */
    static SigV4Request.Builder signedGet(String payload, String amzDate, String region) {
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("host", "localhost:9000");
        signed.put("x-amz-content-sha256", payload);
        signed.put("x-amz-date", amzDate);
        String sig = ReferenceSigner.signature(SK, region, amzDate, "GET", "/bucket/key", "", signed, payload);
        return SigV4Request.builder("GET", "/bucket/key")
                .addHeader("Host", "localhost:9000")
                .addHeader("X-Amz-Content-Sha256", payload)
                .addHeader("X-Amz-Date", amzDate)
                .addHeader("Authorization", ReferenceSigner.authorization(AK, region, amzDate,
                        List.copyOf(signed.keySet()), sig));
    }

    static void assertCode(ThrowingCallable call, S3ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void validRequestVerifies() {
        AuthResult r = verifier.verify(signedGet(EMPTY, DATE, REGION).build(), NOW);
        assertThat(r.credential().ownerId()).isEqualTo("id");
        assertThat(r.scope()).isEqualTo("20240102/eu-west-3/s3/aws4_request");
    }

    @Test
    void payloadModesFromContentSha256() {
        for (PayloadMode m : PayloadMode.values()) {
            String token = m == PayloadMode.SIGNED_SHA256 ? EMPTY.toUpperCase() : m.token();
            AuthResult r = verifier.verify(signedGet(token, DATE, REGION).build(), NOW);
            assertThat(r.payloadMode()).isEqualTo(m);
            assertThat(r.contentSha256()).isEqualTo(token);
        }
    }

    @Test
    void noAuthenticationIsAccessDenied() {
        SigV4Request req = SigV4Request.builder("GET", "/bucket/key").addHeader("Host", "h").build();
        assertCode(() -> verifier.verify(req, NOW), S3ErrorCode.ACCESS_DENIED);
    }

    @Test
    void sigV2IsRefusedWithAClearMessage() {
        SigV4Request header = SigV4Request.builder("GET", "/b/k").addHeader("Host", "h")
                .addHeader("Date", "Tue, 02 Jan 2024 03:04:05 GMT")
                .addHeader("Authorization", "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=").build();
        assertThatThrownBy(() -> verifier.verify(header, NOW)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
            assertThat(e.getMessage()).contains("Signature Version 4");
        });
        SigV4Request query = SigV4Request.builder("GET", "/b/k?AWSAccessKeyId=AKIDEXAMPLE&Expires=1&Signature=x")
                .addHeader("Host", "h").build();
        assertThatThrownBy(() -> verifier.verify(query, NOW)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
            assertThat(e.getMessage()).contains("Signature Version 4");
        });
    }

    @Test
    void unknownKeyIsInvalidAccessKeyId() {
        store.remove(AK);
        assertCode(() -> verifier.verify(signedGet(EMPTY, DATE, REGION).build(), NOW), S3ErrorCode.INVALID_ACCESS_KEY_ID);
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatch() {
        store.put(new Credential(AK, "another secret", "id", "name"));
        assertThatThrownBy(() -> verifier.verify(signedGet(EMPTY, DATE, REGION).build(), NOW))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
                    assertThat(e.details()).containsKeys("StringToSign", "CanonicalRequest", "SignatureProvided");
                    assertThat(e.details().get("CanonicalRequest")).startsWith("GET\n/bucket/key\n\nhost:localhost:9000\n");
                });
    }

    @Test
    void skewBeyondFifteenMinutesEitherWay() {
        SigV4Request req = signedGet(EMPTY, DATE, REGION).build();
        verifier.verify(req, NOW.plus(Duration.ofMinutes(15)));
        verifier.verify(req, NOW.minus(Duration.ofMinutes(15)));
        assertCode(() -> verifier.verify(req, NOW.plus(Duration.ofMinutes(15)).plusSeconds(1)),
                S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
        assertCode(() -> verifier.verify(req, NOW.minus(Duration.ofMinutes(15)).minusSeconds(1)),
                S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
        SigV4Verifier strict = new SigV4Verifier(store, REGION, Duration.ofSeconds(5));
        assertCode(() -> strict.verify(req, NOW.plusSeconds(6)), S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
    }

    @Test
    void wrongRegionOrServiceInScopeIsMalformed() {
        assertThatThrownBy(() -> verifier.verify(signedGet(EMPTY, DATE, "us-east-1").build(), NOW))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.code()).isEqualTo(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
                    assertThat(e.details()).containsEntry("Region", REGION);
                });
        SigV4Request base = signedGet(EMPTY, DATE, REGION).build();
        String auth = base.header("Authorization").orElseThrow();
        assertCode(() -> verifier.verify(withHeader(base, "Authorization", auth.replace("/s3/", "/ec2/")), NOW),
                S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        assertCode(() -> verifier.verify(withHeader(base, "Authorization", auth.replace("aws4_request", "aws5_request")),
                NOW), S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
    }

    @Test
    void malformedAuthorizationHeaders() {
        SigV4Request base = signedGet(EMPTY, DATE, REGION).build();
        String auth = base.header("Authorization").orElseThrow();
        for (String bad : List.of(
                "AWS4-HMAC-SHA256",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/eu-west-3/s3/aws4_request",
                auth.substring(0, auth.indexOf(", Signature=")),
                auth.replace("SignedHeaders=host;", "SignedHeaders=;"),
                auth.replace("Credential=AKIDEXAMPLE/", "Credential="),
                auth.replace("/20240102/", "/2024012/"),
                auth + ", Extra=1",
                "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20240102/s3/aws4_request, SignedHeaders=host, Signature=00")) {
            assertCode(() -> verifier.verify(withHeader(base, "Authorization", bad), NOW),
                    S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        }
    }

    @Test
    void credentialDateMustMatchRequestDate() {
        SigV4Request base = signedGet(EMPTY, DATE, REGION).build();
        String auth = base.header("Authorization").orElseThrow().replace("/20240102/", "/20240101/");
        assertCode(() -> verifier.verify(withHeader(base, "Authorization", auth), NOW),
                S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
    }

    @Test
    void hostMustBeSigned() {
        Map<String, String> signed = Map.of("x-amz-content-sha256", EMPTY, "x-amz-date", DATE);
        String sig = ReferenceSigner.signature(SK, REGION, DATE, "GET", "/bucket/key", "", signed, EMPTY);
        SigV4Request req = SigV4Request.builder("GET", "/bucket/key").addHeader("Host", "h")
                .addHeader("x-amz-content-sha256", EMPTY).addHeader("x-amz-date", DATE)
                .addHeader("Authorization", ReferenceSigner.authorization(AK, REGION, DATE,
                        List.copyOf(signed.keySet()), sig)).build();
        assertCode(() -> verifier.verify(req, NOW), S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
    }

    @Test
    void missingDateIsAccessDenied() {
        SigV4Request base = signedGet(EMPTY, DATE, REGION).build();
        assertCode(() -> verifier.verify(without(base, "x-amz-date"), NOW), S3ErrorCode.ACCESS_DENIED);
        assertCode(() -> verifier.verify(withHeader(base, "x-amz-date", "2024-01-02T03:04:05Z"), NOW),
                S3ErrorCode.ACCESS_DENIED);
    }

    @Test
    void dateHeaderWorksWhenXAmzDateIsAbsent() {
        String httpDate = "Tue, 02 Jan 2024 03:04:05 GMT";
        Map<String, String> signed = Map.of("host", "h", "date", httpDate, "x-amz-content-sha256", EMPTY);
        String sig = ReferenceSigner.signature(SK, REGION, DATE, "GET", "/bucket/key", "", signed, EMPTY);
        SigV4Request req = SigV4Request.builder("GET", "/bucket/key").addHeader("Host", "h")
                .addHeader("Date", httpDate).addHeader("x-amz-content-sha256", EMPTY)
                .addHeader("Authorization", ReferenceSigner.authorization(AK, REGION, DATE,
                        List.copyOf(signed.keySet()), sig)).build();
        assertThat(verifier.verify(req, NOW).amzDate()).isEqualTo(DATE);
    }

    @Test
    void missingContentSha256IsInvalidRequest() {
        Map<String, String> signed = Map.of("host", "h", "x-amz-date", DATE);
        String sig = ReferenceSigner.signature(SK, REGION, DATE, "GET", "/bucket/key", "", signed, "UNSIGNED-PAYLOAD");
        SigV4Request req = SigV4Request.builder("GET", "/bucket/key").addHeader("Host", "h")
                .addHeader("x-amz-date", DATE)
                .addHeader("Authorization", ReferenceSigner.authorization(AK, REGION, DATE,
                        List.copyOf(signed.keySet()), sig)).build();
        assertThatThrownBy(() -> verifier.verify(req, NOW)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
            assertThat(e.getMessage()).isEqualTo("Missing required header for this request: x-amz-content-sha256");
        });
    }

    @Test
    void invalidContentSha256IsInvalidArgument() {
        assertCode(() -> verifier.verify(signedGet("abc", DATE, REGION).build(), NOW), S3ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> verifier.verify(signedGet("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", DATE, REGION).build(),
                NOW), S3ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void unsignedAmzHeaderIsRefused() {
        SigV4Request req = signedGet(EMPTY, DATE, REGION).addHeader("x-amz-meta-color", "blue").build();
        assertThatThrownBy(() -> verifier.verify(req, NOW)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
            assertThat(e.details()).containsEntry("HeadersNotSigned", "x-amz-meta-color");
        });
        // Unsigned non-amz headers are fine.
        verifier.verify(signedGet(EMPTY, DATE, REGION).addHeader("User-Agent", "x").build(), NOW);
    }

    @Test
    void tamperedSignedHeaderOrPathIsSignatureDoesNotMatch() {
        SigV4Request base = signedGet(EMPTY, DATE, REGION).build();
        assertCode(() -> verifier.verify(withHeader(base, "Host", "localhost:9001"), NOW),
                S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        SigV4Request otherPath = SigV4Request.builder("GET", "/bucket/kez").build();
        SigV4Request.Builder b = SigV4Request.builder("GET", "/bucket/kez");
        base.headerNames().forEach(n -> base.headers(n).forEach(v -> b.addHeader(n, v)));
        assertThat(otherPath.rawPath()).isEqualTo("/bucket/kez");
        assertCode(() -> verifier.verify(b.build(), NOW), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        SigV4Request.Builder q = SigV4Request.builder("GET", "/bucket/key?x=1");
        base.headerNames().forEach(n -> base.headers(n).forEach(v -> q.addHeader(n, v)));
        assertCode(() -> verifier.verify(q.build(), NOW), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        String auth = base.header("Authorization").orElseThrow();
        String flipped = auth.substring(0, auth.length() - 1) + (auth.endsWith("0") ? "1" : "0");
        assertCode(() -> verifier.verify(withHeader(base, "Authorization", flipped), NOW),
                S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void headerAndQueryAuthTogetherIsInvalidArgument() {
        SigV4Request base = signedGet(EMPTY, DATE, REGION).build();
        SigV4Request.Builder b = SigV4Request.builder("GET", "/bucket/key?X-Amz-Signature=00");
        base.headerNames().forEach(n -> base.headers(n).forEach(v -> b.addHeader(n, v)));
        assertCode(() -> verifier.verify(b.build(), NOW), S3ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void multiValueHeadersAndWhitespaceAreCanonicalised() {
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("host", "h");
        signed.put("x-amz-content-sha256", EMPTY);
        signed.put("x-amz-date", DATE);
        signed.put("x-amz-meta-list", "a b c,d,e f");
        String sig = ReferenceSigner.signature(SK, REGION, DATE, "GET", "/bucket/key", "", signed, EMPTY);
        SigV4Request req = SigV4Request.builder("GET", "/bucket/key").addHeader("Host", "h")
                .addHeader("x-amz-content-sha256", EMPTY).addHeader("x-amz-date", DATE)
                .addHeader("X-Amz-Meta-List", "  a   b \t c ")
                .addHeader("x-amz-meta-list", "d")
                .addHeader("X-AMZ-META-LIST", "e  f")
                .addHeader("Authorization", ReferenceSigner.authorization(AK, REGION, DATE,
                        List.copyOf(signed.keySet()), sig)).build();
        verifier.verify(req, NOW);
    }

    @Test
    void queryCanonicalisation() {
        // Decoded then re-encoded; sorted by name then value; bare names become "name=".
        String raw = "uploads&prefix=a+b%2Fc&list-type=2&z=%7e&a=2&a=1&delimiter=%2F&k=%E2%82%AC&e=";
        String canonicalQuery = "a=1&a=2&delimiter=%2F&e=&k=%E2%82%AC&list-type=2&prefix=a%20b%2Fc&uploads=&z=~";
        assertThat(QueryString.parse(raw).canonical(null)).isEqualTo(canonicalQuery);
        Map<String, String> signed = Map.of("host", "h", "x-amz-content-sha256", EMPTY, "x-amz-date", DATE);
        String sig = ReferenceSigner.signature(SK, REGION, DATE, "GET", "/b/", canonicalQuery, signed, EMPTY);
        SigV4Request req = SigV4Request.builder("GET", "/b/?" + raw).addHeader("Host", "h")
                .addHeader("x-amz-content-sha256", EMPTY).addHeader("x-amz-date", DATE)
                .addHeader("Authorization", ReferenceSigner.authorization(AK, REGION, DATE,
                        List.copyOf(signed.keySet()), sig)).build();
        verifier.verify(req, NOW);
    }

    @Test
    void pathCanonicalisation() {
        assertThat(UriEncoding.canonicalPath("")).isEqualTo("/");
        assertThat(UriEncoding.canonicalPath("/")).isEqualTo("/");
        assertThat(UriEncoding.canonicalPath("/b/a%20b%2Bc")).isEqualTo("/b/a%20b%2Bc");
        assertThat(UriEncoding.canonicalPath("/b/a+b$c!d*e'f(g)")).isEqualTo("/b/a%2Bb%24c%21d%2Ae%27f%28g%29");
        assertThat(UriEncoding.canonicalPath("/b/%7euser/%2f/x%2Fy")).isEqualTo("/b/~user/%2F/x%2Fy");
        assertThat(UriEncoding.canonicalPath("/b/./../c//d")).isEqualTo("/b/./../c//d");
        assertThat(UriEncoding.canonicalPath("/b/€ü")).isEqualTo("/b/%E2%82%AC%C3%BC");
        assertThat(UriEncoding.canonicalPath("/b/%e2%82%ac")).isEqualTo("/b/%E2%82%AC");
        assertThat(UriEncoding.canonicalPath("/b/100%")).isEqualTo("/b/100%25");
        assertThat(UriEncoding.canonicalPath("/b/%zz")).isEqualTo("/b/%25zz");
        assertThat(UriEncoding.canonicalPath("/b/%FF")).isEqualTo("/b/%FF");
    }

    @Test
    void signingKeysAreCachedPerDay() {
        SigV4Request req = signedGet(EMPTY, DATE, REGION).build();
        SigningKeyCache cache = new SigningKeyCache();
        byte[] k1 = cache.signingKey(SK, "20240102", REGION);
        byte[] k2 = cache.signingKey(SK, "20240102", REGION);
        assertThat(k2).isSameAs(k1).isEqualTo(TestCrypto.signingKey(SK, "20240102", REGION));
        cache.signingKey(SK, "20240103", REGION);
        assertThat(cache.size()).isEqualTo(2);
        for (int i = 0; i < SigningKeyCache.MAX_ENTRIES + 10; i++) {
            cache.signingKey("s" + i, "20240102", REGION);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(SigningKeyCache.MAX_ENTRIES);
        // The verifier returns the same key on every request of the day.
        AuthResult a = verifier.verify(req, NOW);
        AuthResult b = verifier.verify(req, NOW);
        assertThat(a.signingKey()).isEqualTo(b.signingKey());
    }

    // ---- presigned URLs ----

    static String presignedQuery(String amzDate, String expires, String region, String extra) {
        return "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + AK + "%2F" + amzDate.substring(0, 8) + "%2F"
                + region + "%2Fs3%2Faws4_request&X-Amz-Date=" + amzDate + "&X-Amz-Expires=" + expires
                + "&X-Amz-SignedHeaders=host" + extra;
    }

    static SigV4Request presigned(String method, String amzDate, String expires, String region, String extra,
            String payload) {
        String q = presignedQuery(amzDate, expires, region, extra);
        String canonicalQuery = QueryString.parse(q).canonical(null);
        String sig = ReferenceSigner.signature(SK, region, amzDate, method, "/bucket/key", canonicalQuery,
                Map.of("host", "h"), payload);
        return SigV4Request.builder(method, "/bucket/key?" + q + "&X-Amz-Signature=" + sig).addHeader("Host", "h").build();
    }

    @Test
    void presignedVerifies() {
        AuthResult r = verifier.verify(presigned("PUT", DATE, "60", REGION, "&partNumber=1&uploadId=u",
                "UNSIGNED-PAYLOAD"), NOW);
        assertThat(r.presigned()).isTrue();
        assertThat(r.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
    }

    @Test
    void presignedWithContentSha256InQuery() {
        String hash = TestCrypto.sha256Hex("hello");
        AuthResult r = verifier.verify(presigned("PUT", DATE, "60", REGION, "&X-Amz-Content-Sha256=" + hash, hash), NOW);
        assertThat(r.payloadMode()).isEqualTo(PayloadMode.SIGNED_SHA256);
        assertThat(r.contentSha256()).isEqualTo(hash);
    }

    @Test
    void presignedExpiryAndFutureDate() {
        SigV4Request req = presigned("GET", DATE, "60", REGION, "", "UNSIGNED-PAYLOAD");
        verifier.verify(req, NOW.plusSeconds(60));
        assertCode(() -> verifier.verify(req, NOW.plusSeconds(61)), S3ErrorCode.ACCESS_DENIED);
        verifier.verify(req, NOW.minus(Duration.ofMinutes(15)));
        assertThatThrownBy(() -> verifier.verify(req, NOW.minus(Duration.ofMinutes(16))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.getMessage()).isEqualTo("Request is not valid yet"));
        verifier.verify(presigned("GET", DATE, "604800", REGION, "", "UNSIGNED-PAYLOAD"), NOW.plus(Duration.ofDays(7)));
    }

    @Test
    void presignedParameterErrors() {
        for (String expires : List.of("0", "-1", "604801", "abc", "")) {
            assertCode(() -> verifier.verify(presigned("GET", DATE, expires, REGION, "", "UNSIGNED-PAYLOAD"), NOW),
                    S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        }
        assertCode(() -> verifier.verify(presigned("GET", DATE, "60", "us-west-2", "", "UNSIGNED-PAYLOAD"), NOW),
                S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        assertCode(() -> verifier.verify(presigned("GET", "20240102T0304", "60", REGION, "", "UNSIGNED-PAYLOAD"), NOW),
                S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        SigV4Request ok = presigned("GET", DATE, "60", REGION, "", "UNSIGNED-PAYLOAD");
        String q = ok.rawQuery();
        for (String bad : List.of(
                q.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"),
                q.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256&", ""),
                q.replaceAll("&X-Amz-Signature=[0-9a-f]+", ""),
                q.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x-amz-date"),
                q.replace("%2Fs3%2F", "%2Fs4%2F"),
                q.replace("X-Amz-Credential=" + AK + "%2F", "X-Amz-Credential="),
                q + "&X-Amz-Date=" + DATE)) {
            assertCode(() -> verifier.verify(SigV4Request.builder("GET", "/bucket/key?" + bad).addHeader("Host", "h")
                    .build(), NOW), S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        }
    }

    @Test
    void presignedUnknownKeyAndBadSignature() {
        SigV4Request ok = presigned("GET", DATE, "60", REGION, "", "UNSIGNED-PAYLOAD");
        String q = ok.rawQuery();
        assertCode(() -> verifier.verify(SigV4Request.builder("GET", "/bucket/key?" + q.replace(AK, "AKIDOTHER"))
                .addHeader("Host", "h").build(), NOW), S3ErrorCode.INVALID_ACCESS_KEY_ID);
        assertCode(() -> verifier.verify(SigV4Request.builder("PUT", "/bucket/key?" + q).addHeader("Host", "h").build(),
                NOW), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertCode(() -> verifier.verify(SigV4Request.builder("GET", "/bucket/key?" + q + "&extra=1")
                .addHeader("Host", "h").build(), NOW), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        String last = q.substring(q.length() - 1);
        String flipped = q.substring(0, q.length() - 1) + ("0".equals(last) ? "1" : "0");
        assertCode(() -> verifier.verify(SigV4Request.builder("GET", "/bucket/key?" + flipped)
                .addHeader("Host", "h").build(), NOW), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    static SigV4Request withHeader(SigV4Request r, String name, String value) {
        SigV4Request.Builder b = SigV4Request.builder().method(r.method()).rawPath(r.rawPath()).rawQuery(r.rawQuery());
        r.headerNames().forEach(n -> r.headers(n).forEach(v -> b.addHeader(n, v)));
        return b.setHeader(name, value).build();
    }

    static SigV4Request without(SigV4Request r, String name) {
        SigV4Request.Builder b = SigV4Request.builder().method(r.method()).rawPath(r.rawPath()).rawQuery(r.rawQuery());
        r.headerNames().stream().filter(n -> !n.equalsIgnoreCase(name))
                .forEach(n -> r.headers(n).forEach(v -> b.addHeader(n, v)));
        return b.build();
    }
}
