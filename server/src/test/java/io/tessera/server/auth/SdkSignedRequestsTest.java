package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Requests signed by the real AWS SDK for Java v2 signer verify, and any tampering is caught. */
class SdkSignedRequestsTest {
    static final Instant AT = Instant.parse("2025-06-07T08:09:10Z");

    final SigV4Verifier verifier = new SigV4Verifier(InMemoryCredentialStore.of(SdkSigner.CREDENTIAL),
            SdkSigner.REGION);

    /** A random request shape. */
    record Shape(String method, String key, List<Map.Entry<String, String>> query, Map<String, String> meta) {
        String url(String scheme) {
            return scheme + "://localhost:9000/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
        }

        Map<String, List<String>> headers() {
            Map<String, List<String>> h = new LinkedHashMap<>();
            meta.forEach((k, v) -> h.put(k, List.of(v)));
            return h;
        }
    }

    static Arbitrary<String> text(int max) {
        return Arbitraries.strings()
                .withChars("abcXYZ019-_.~ +$!*'()%/=&?#:@,;[]{}\"<>^`|\\")
                .withChars('€', 'ü', '日', '\u00e9')
                .ofMinLength(1).ofMaxLength(max);
    }

    static Arbitrary<String> headerValue() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(30);
    }

    @Provide
    Arbitrary<Shape> shapes() {
        Arbitrary<String> method = Arbitraries.of("GET", "PUT", "HEAD", "DELETE", "POST");
        Arbitrary<String> key = text(40).filter(k -> !k.startsWith("/"));
        Arbitrary<List<Map.Entry<String, String>>> query = Combinators.combine(text(10), text(12).injectNull(0.2))
                .as((n, v) -> (Map.Entry<String, String>) new SimpleEntry<>(n, v == null ? "" : v))
                .list().ofMaxSize(4);
        Arbitrary<Map<String, String>> meta = Arbitraries.maps(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6).map(s -> "x-amz-meta-" + s),
                headerValue()).ofMaxSize(3);
        return Combinators.combine(method, key, query, meta).as(Shape::new);
    }

    @Property(tries = 200)
    void sdkHeaderSignedRequestsVerify(@ForAll("shapes") Shape s) {
        SdkSigner.Signed signed = SdkSigner.sign(s.method(), s.url("http"), s.query(), s.headers(), null, AT,
                SdkSigner.Options.header());
        AuthResult r = verifier.verify(signed.request(), AT.plusSeconds(30));
        assertThat(r.credential()).isEqualTo(SdkSigner.CREDENTIAL);
        assertThat(r.payloadMode()).isEqualTo(PayloadMode.SIGNED_SHA256);
        assertThat(signed.request().header("Authorization").orElseThrow()).endsWith("Signature=" + r.seedSignature());
    }

    @Property(tries = 100)
    void sdkPresignedRequestsVerify(@ForAll("shapes") Shape s, @ForAll @IntRange(min = 1, max = 604800) int expires) {
        SdkSigner.Signed signed = SdkSigner.sign(s.method(), s.url("https"), s.query(), s.headers(), null, AT,
                SdkSigner.Options.presigned(Duration.ofSeconds(expires)));
        AuthResult r = verifier.verify(signed.request(), AT.plusSeconds(expires));
        assertThat(r.presigned()).isTrue();
        assertThat(r.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThatThrownBy(() -> verifier.verify(signed.request(), AT.plusSeconds(expires + 1L)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.getMessage()).isEqualTo("Request has expired"));
    }

    /** The SDK's own aws-chunked bodies in all three forms decode, verify, and carry the CRC32 trailer. */
    @Property(tries = 40)
    void sdkChunkedUploadsDecode(@ForAll @IntRange(min = 0, max = 400_000) int size,
            @ForAll @IntRange(min = 0, max = 2) int form, @ForAll @IntRange(min = 1, max = 70_000) int split,
            @ForAll long seed) {
        byte[] data = new byte[size];
        new java.util.Random(seed).nextBytes(data);
        SdkSigner.Options o = switch (form) {
            case 0 -> SdkSigner.Options.chunked(true, null);
            case 1 -> SdkSigner.Options.chunked(true, DefaultChecksumAlgorithm.CRC32);
            default -> SdkSigner.Options.chunked(false, DefaultChecksumAlgorithm.CRC32);
        };
        PayloadMode expected = List.of(PayloadMode.STREAMING_SIGNED, PayloadMode.STREAMING_SIGNED_TRAILER,
                PayloadMode.STREAMING_UNSIGNED_TRAILER).get(form);
        SdkSigner.Signed signed = SdkSigner.sign("PUT", form == 2 ? "https://localhost:9000/b/k" : "http://localhost:9000/b/k",
                List.of(new SimpleEntry<>("partNumber", "3"), new SimpleEntry<>("uploadId", "u-1")), Map.of(), data, AT, o);
        AuthResult r = verifier.verify(signed.request(), AT);
        assertThat(r.payloadMode()).isEqualTo(expected);
        long declared = Long.parseLong(signed.request().header("x-amz-decoded-content-length").orElseThrow());
        AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(r, declared);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] wire = signed.body();
        for (int off = 0; off < wire.length; off += split) {
            d.feed(java.nio.ByteBuffer.wrap(wire, off, Math.min(split, wire.length - off)), b -> {
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                out.writeBytes(copy);
            });
        }
        Trailers t = d.finish();
        assertThat(out.toByteArray()).isEqualTo(data);
        if (form > 0) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data);
            String b64 = java.util.Base64.getEncoder().encodeToString(
                    java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            assertThat(t.asMap()).containsExactly(Map.entry("x-amz-checksum-crc32", b64));
            assertThat(signed.request().header("x-amz-trailer")).contains("x-amz-checksum-crc32");
        } else {
            assertThat(t.isEmpty()).isTrue();
        }
        if (form < 2 && size > 0) {
            // Flip one payload byte on the wire: the chunk signature catches it.
            byte[] bad = wire.clone();
            int at = AwsChunkedDecoderTest.nthDataByte(bad, (int) Math.floorMod(seed, (long) size));
            bad[at] ^= 0x40;
            AwsChunkedDecoder d2 = AwsChunkedDecoder.forRequest(r, declared);
            assertThatThrownBy(() -> {
                d2.feed(java.nio.ByteBuffer.wrap(bad), b -> { });
                d2.finish();
            }).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH));
        }
    }

    /** What to tamper with. */
    enum Target { METHOD, PATH, QUERY, META_HEADER, HOST, DATE, SIGNATURE, CONTENT_SHA256 }

    @Property(tries = 300)
    void anyTamperingIsSignatureDoesNotMatch(@ForAll("shapes") Shape s, @ForAll Target target,
            @ForAll boolean presigned, @ForAll @IntRange(min = 0, max = 1000) int where) {
        SdkSigner.Signed signed = SdkSigner.sign(s.method(), s.url(presigned ? "https" : "http"), s.query(),
                s.headers(), null, AT, presigned ? SdkSigner.Options.presigned(Duration.ofHours(1))
                        : SdkSigner.Options.header());
        SigV4Request good = signed.request();
        verifier.verify(good, AT);
        SigV4Request bad = tamper(good, target, where, presigned);
        if (bad == null) {
            return; // nothing of that kind in this request
        }
        assertThatThrownBy(() -> verifier.verify(bad, AT)).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH));
    }

    static SigV4Request tamper(SigV4Request r, Target target, int where, boolean presigned) {
        SigV4Request.Builder b = SigV4Request.builder().method(r.method()).rawPath(r.rawPath()).rawQuery(r.rawQuery());
        r.headerNames().forEach(n -> r.headers(n).forEach(v -> b.addHeader(n, v)));
        switch (target) {
            case METHOD -> b.method("GET".equals(r.method()) ? "PUT" : "GET");
            case PATH -> b.rawPath(flipUnreserved(r.rawPath(), where));
            case QUERY -> {
                List<String> parts = new ArrayList<>(List.of(r.rawQuery().split("&")));
                parts.removeIf(p -> p.startsWith("X-Amz-Signature=") || p.isEmpty());
                if (parts.isEmpty()) {
                    b.rawQuery(r.rawQuery().isEmpty() ? "extra=1" : r.rawQuery() + "&extra=1");
                } else {
                    String p = parts.get(where % parts.size());
                    String changed = p.endsWith("=") ? p + "x" : flipUnreserved(p, where);
                    if (changed.equals(p) || p.startsWith("X-Amz-Expires=") || p.startsWith("X-Amz-Date=")
                            || p.startsWith("X-Amz-Credential=") || p.startsWith("X-Amz-SignedHeaders=")
                            || p.startsWith("X-Amz-Algorithm=")) {
                        changed = p + "z";
                        if (p.startsWith("X-Amz-")) {
                            b.rawQuery(r.rawQuery() + "&extra=1");
                            break;
                        }
                    }
                    b.rawQuery(r.rawQuery().replace(p, changed));
                }
            }
            case META_HEADER -> {
                String name = r.headerNames().stream().filter(n -> n.startsWith("x-amz-meta-")).findFirst().orElse(null);
                if (name == null || presigned) {
                    return null;
                }
                String v = r.headers(name).get(0);
                b.setHeader(name, v.trim().isEmpty() ? "x" : flipNonSpace(v, where));
            }
            case HOST -> b.setHeader("Host", "localhost:9001");
            case DATE -> {
                if (presigned) {
                    b.rawQuery(r.rawQuery().replace("X-Amz-Date=20250607T080910Z", "X-Amz-Date=20250607T080911Z"));
                } else {
                    b.setHeader("X-Amz-Date", "20250607T080911Z");
                }
            }
            case SIGNATURE -> {
                if (presigned) {
                    String q = r.rawQuery();
                    int i = q.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length() + where % 64;
                    b.rawQuery(q.substring(0, i) + (q.charAt(i) == '0' ? '1' : '0') + q.substring(i + 1));
                } else {
                    String a = r.header("Authorization").orElseThrow();
                    int i = a.indexOf("Signature=") + "Signature=".length() + where % 64;
                    b.setHeader("Authorization", a.substring(0, i) + (a.charAt(i) == '0' ? '1' : '0') + a.substring(i + 1));
                }
            }
            case CONTENT_SHA256 -> {
                if (presigned) {
                    return null;
                }
                String v = r.header("x-amz-content-sha256").orElseThrow();
                int i = where % 64;
                b.setHeader("x-amz-content-sha256", v.substring(0, i) + (v.charAt(i) == '0' ? '1' : '0') + v.substring(i + 1));
            }
            default -> throw new IllegalStateException();
        }
        return b.build();
    }

    /** Replaces one unreserved letter/digit with another, so the canonical form surely changes. */
    static String flipUnreserved(String s, int where) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escaped = (i >= 1 && s.charAt(i - 1) == '%') || (i >= 2 && s.charAt(i - 2) == '%');
            if (Character.isLetterOrDigit(c) && c < 0x80 && !escaped) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return s + "q";
        }
        int i = candidates.get(where % candidates.size());
        char c = s.charAt(i);
        return s.substring(0, i) + (c == 'q' ? 'r' : 'q') + s.substring(i + 1);
    }

    static String flipNonSpace(String s, int where) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                candidates.add(i);
            }
        }
        int i = candidates.get(where % candidates.size());
        return s.substring(0, i) + (s.charAt(i) == 'q' ? 'r' : 'q') + s.substring(i + 1);
    }
}
