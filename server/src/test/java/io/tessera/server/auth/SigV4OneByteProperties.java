package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.fuzz.FuzzScale;
import io.tessera.server.fuzz.RequestShapes;
import io.tessera.server.fuzz.RequestShapes.Shape;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Requests with awkward keys, query strings and header values ({@link RequestShapes}, non-ASCII header
 * values included), signed by the AWS SDK v2 signer with the header or as presigned URLs, verify with
 * {@link SigV4Verifier}; and any one byte changed in what the signature covers (method, path, query,
 * a signed header's value, the credential scope, the signed-header list, the signature) makes them fail
 * with an S3 error. Excluded, because the canonical request is the same: the letter case of a hex digit
 * in a percent escape, whitespace replaced by whitespace in a header value, {@code name=} becoming
 * {@code name&} (a bare name), and the letter case of the method or of a name in SignedHeaders (both
 * are canonicalised; the router still refuses a lower-case method, see {@code Router}).
 */
@Tag(FuzzScale.TAG)
@AddLifecycleHook(FuzzScale.class)
class SigV4OneByteProperties {
    static final Instant AT = Instant.parse("2025-06-07T08:09:10Z");

    final SigV4Verifier verifier = new SigV4Verifier(InMemoryCredentialStore.of(SdkSigner.CREDENTIAL),
            SdkSigner.REGION);

    /** What the changed byte belongs to. */
    enum Part { METHOD, PATH, QUERY, HEADER_VALUE, CREDENTIAL, SIGNED_HEADERS, SIGNATURE }

    @Provide
    Arbitrary<Shape> shapes() {
        return RequestShapes.shapes(true);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "PUT", "HEAD", "DELETE", "POST");
    }

    @Property(tries = 600)
    void signedRequestsVerifyAndNoByteCanChange(@ForAll("shapes") Shape shape, @ForAll("methods") String method,
            @ForAll boolean presigned, @ForAll Part part, @ForAll long seed) {
        String url = "https://localhost:9000/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes(shape.key());
        SdkSigner.Signed signed = SdkSigner.sign(method, url, shape.query(), shape.headers(), null, AT,
                presigned ? SdkSigner.Options.presigned(Duration.ofHours(1)) : SdkSigner.Options.unsignedPayload());
        SigV4Request good = signed.request();
        AuthResult ok = verifier.verify(good, AT.plusSeconds(5));
        assertThat(ok.credential()).isEqualTo(SdkSigner.CREDENTIAL);

        Part target = presigned && (part == Part.CREDENTIAL || part == Part.SIGNED_HEADERS || part == Part.SIGNATURE)
                ? Part.QUERY : part;
        SigV4Request bad = change(good, target, new Random(seed));
        if (bad == null) {
            return; // the drawn byte change means the same: see the class comment
        }
        Statistics.collect(target);
        assertThatThrownBy(() -> verifier.verify(bad, AT.plusSeconds(5)))
                .as("%s changed: %s", target, bad).isInstanceOf(io.tessera.server.error.S3Exception.class);
    }

    /** The request with one byte of {@code part} changed, or null if the drawn change means the same. */
    static SigV4Request change(SigV4Request r, Part part, Random rnd) {
        SigV4Request.Builder b = SigV4Request.builder().method(r.method()).rawPath(r.rawPath()).rawQuery(r.rawQuery());
        r.headerNames().forEach(n -> r.headers(n).forEach(v -> b.addHeader(n, v)));
        switch (part) {
            case METHOD -> {
                String m = r.method();
                int i = rnd.nextInt(m.length());
                char c = (char) ('A' + rnd.nextInt(26));
                if (Character.toUpperCase(c) == m.charAt(i)) {
                    return null;
                }
                b.method(m.substring(0, i) + (rnd.nextBoolean() ? c : Character.toLowerCase(c)) + m.substring(i + 1));
            }
            case PATH -> {
                String p = changeUriByte(r.rawPath(), rnd);
                if (p == null) {
                    return null;
                }
                b.rawPath(p);
            }
            case QUERY -> {
                if (r.rawQuery().isEmpty()) {
                    b.rawQuery("x");
                } else {
                    String q = changeUriByte(r.rawQuery(), rnd);
                    if (q == null) {
                        return null;
                    }
                    b.rawQuery(q);
                }
            }
            case HEADER_VALUE -> {
                List<String> signedNames = signedHeaders(r);
                String name = signedNames.get(rnd.nextInt(signedNames.size()));
                List<String> values = new ArrayList<>(r.headers(name));
                int which = rnd.nextInt(values.size());
                String changed = changeHeaderByte(values.get(which), rnd);
                if (changed == null) {
                    return null;
                }
                values.set(which, changed);
                b.setHeader(name, values.get(0));
                values.subList(1, values.size()).forEach(v -> b.addHeader(name, v));
            }
            case CREDENTIAL, SIGNED_HEADERS, SIGNATURE -> {
                String a = r.header("Authorization").orElseThrow();
                String label = switch (part) {
                    case CREDENTIAL -> "Credential=";
                    case SIGNED_HEADERS -> "SignedHeaders=";
                    default -> "Signature=";
                };
                int start = a.indexOf(label) + label.length();
                int end = a.indexOf(',', start) < 0 ? a.length() : a.indexOf(',', start);
                int i = start + rnd.nextInt(end - start);
                char old = a.charAt(i);
                char c = (char) (0x21 + rnd.nextInt(0x7e - 0x21 + 1));
                if (c == old || (part == Part.SIGNED_HEADERS && Character.toLowerCase(c) == Character.toLowerCase(old))) {
                    return null;
                }
                b.setHeader("Authorization", a.substring(0, i) + c + a.substring(i + 1));
            }
            default -> throw new IllegalStateException(part.name());
        }
        return b.build();
    }

    /** Signed header names, from the Authorization header or X-Amz-SignedHeaders. */
    static List<String> signedHeaders(SigV4Request r) {
        String list = r.header("Authorization").map(a -> {
            int s = a.indexOf("SignedHeaders=") + "SignedHeaders=".length();
            return a.substring(s, a.indexOf(',', s));
        }).orElseGet(() -> {
            String q = r.rawQuery();
            int s = q.indexOf("X-Amz-SignedHeaders=") + "X-Amz-SignedHeaders=".length();
            int e = q.indexOf('&', s);
            return q.substring(s, e < 0 ? q.length() : e).replace("%3B", ";");
        });
        return List.of(list.split(";"));
    }

    /** One byte of an encoded path or query replaced by a visible ASCII byte; null when equivalent. */
    static String changeUriByte(String s, Random rnd) {
        int i = rnd.nextInt(s.length());
        char old = s.charAt(i);
        char c = (char) (0x21 + rnd.nextInt(0x7e - 0x21 + 1));
        if (c == old) {
            return null;
        }
        boolean inEscape = (i >= 1 && s.charAt(i - 1) == '%') || (i >= 2 && s.charAt(i - 2) == '%');
        if (inEscape && Hex.digit(old) >= 0 && Hex.digit(c) == Hex.digit(old)) {
            return null; // %2f and %2F are one byte
        }
        boolean emptyValue = old == '=' && (i + 1 == s.length() || s.charAt(i + 1) == '&');
        if (emptyValue && c == '&') {
            return null; // "a=" and "a" are both the parameter a with an empty value
        }
        return s.substring(0, i) + c + s.substring(i + 1);
    }

    /**
     * One byte of the UTF-8 form of a header value replaced by a byte a header value may carry (tab,
     * visible ASCII and space, or obs-text); null when whitespace becomes other whitespace.
     */
    static String changeHeaderByte(String value, Random rnd) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            return "x";
        }
        int i = rnd.nextInt(bytes.length);
        int roll = rnd.nextInt(100);
        byte c = (byte) (roll < 5 ? '\t' : roll < 85 ? 0x20 + rnd.nextInt(0x5f) : 0x80 + rnd.nextInt(0x80));
        if (c == bytes[i]) {
            return null;
        }
        if (isBlank(bytes[i]) && isBlank(c)) {
            return null;
        }
        bytes[i] = c;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}
