package io.tessera.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Requests signed by the AWS SDK for Java v2 signer (header authentication), written out byte for byte
 * as they go on the wire, so that a test can send them through a raw socket, whole or changed.
 * Stateless.
 */
final class SignedWire {
    static {
        // The SDK signer logs every canonical request at DEBUG; keep test output and time small.
        org.slf4j.Logger sdk = org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk");
        if (sdk instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    /** How the body is protected ({@code x-amz-content-sha256}). */
    enum Payload {
        /** {@code UNSIGNED-PAYLOAD}. */
        UNSIGNED,
        /** The SHA-256 of the body. */
        SHA256,
        /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: signed aws-chunked. */
        STREAMING_SIGNED,
        /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER} with a CRC32 trailer, as the SDK sends by default. */
        STREAMING_SIGNED_TRAILER,
        /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} with a CRC32 trailer. */
        STREAMING_UNSIGNED_TRAILER;

        boolean chunked() {
            return this.compareTo(STREAMING_SIGNED) >= 0;
        }
    }

    /**
     * A request as sent: the request target (path and query, encoded), the header lines in order and
     * the body bytes. Immutable; the {@code with} methods return changed copies.
     */
    record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        Request {
            headers = List.copyOf(headers);
        }

        /** The request line and header lines, ending with the empty line; header values as UTF-8. */
        byte[] head() {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            for (Map.Entry<String, String> h : headers) {
                sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            sb.append("\r\n");
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Head and body. */
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head());
            out.writeBytes(body);
            return out.toByteArray();
        }

        /** The first value of a header (name case-insensitive), or null. */
        String header(String name) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }

        Request withMethod(String m) {
            return new Request(m, target, headers, body);
        }

        Request withTarget(String t) {
            return new Request(method, t, headers, body);
        }

        Request withHeaders(List<Map.Entry<String, String>> h) {
            return new Request(method, target, h, body);
        }

        Request withBody(byte[] b) {
            return new Request(method, target, headers, b);
        }

        /** Replaces every value of {@code name} with one value, in place of the first (appended if absent). */
        Request withHeader(String name, String value) {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            boolean done = false;
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    if (!done) {
                        out.add(Map.entry(h.getKey(), value));
                        done = true;
                    }
                } else {
                    out.add(h);
                }
            }
            if (!done) {
                out.add(Map.entry(name, value));
            }
            return withHeaders(out);
        }

        /** Without any value of {@code name}. */
        Request withoutHeader(String name) {
            List<Map.Entry<String, String>> out = new ArrayList<>(headers);
            out.removeIf(h -> h.getKey().equalsIgnoreCase(name));
            return withHeaders(out);
        }

        /** Whether the SDK signed this header. */
        boolean signs(String name) {
            String auth = header("Authorization");
            int i = auth.indexOf("SignedHeaders=");
            String list = auth.substring(i + "SignedHeaders=".length(), auth.indexOf(',', i));
            return List.of(list.split(";")).contains(name.toLowerCase(Locale.ROOT));
        }
    }

    private SignedWire() {
    }

    /**
     * Signs a request to the node on {@code port}.
     *
     * @param encodedPath the path, already percent-encoded as it goes on the request line
     * @param query       query parameters, raw (the SDK encodes them)
     * @param headers     headers besides the ones the signer and the framing add
     * @param body        the payload (null: none)
     * @param at          the signing time
     */
    static Request sign(int port, String method, String encodedPath, List<Map.Entry<String, String>> query,
                        Map<String, List<String>> headers, byte[] body, Payload payload, Instant at) {
        return sign(port, TestNode.ACCESS_KEY, TestNode.SECRET_KEY, method, encodedPath, query, headers, body,
                payload, at);
    }

    static Request sign(int port, String accessKey, String secretKey, String method, String encodedPath,
                        List<Map.Entry<String, String>> query, Map<String, List<String>> headers, byte[] body,
                        Payload payload, Instant at) {
        // Over http the SDK signs every payload; an https address (the scheme is not signed) keeps it unsigned.
        boolean unsigned = payload == Payload.UNSIGNED || payload == Payload.STREAMING_UNSIGNED_TRAILER;
        SdkHttpRequest.Builder rb = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(URI.create((unsigned ? "https" : "http") + "://127.0.0.1:" + port)).encodedPath(encodedPath);
        for (Map.Entry<String, String> q : query) {
            rb.appendRawQueryParameter(q.getKey(), q.getValue());
        }
        headers.forEach(rb::putHeader);
        byte[] payloadBytes = body == null ? new byte[0] : body;
        if (body != null) {
            if (payload.chunked()) {
                rb.putHeader("x-amz-decoded-content-length", Integer.toString(body.length));
            }
            rb.putHeader("Content-Length", Integer.toString(body.length));
        }
        SdkHttpRequest request = rb.build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                    .request(request)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsigned)
                    .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, payload.chunked());
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArray(payloadBytes));
            }
            if (payload == Payload.STREAMING_SIGNED_TRAILER || payload == Payload.STREAMING_UNSIGNED_TRAILER) {
                r.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
            }
        });
        SdkHttpRequest out = signed.request();
        byte[] wire = signed.payload().map(SignedWire::readAll).orElse(new byte[0]);
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        lines.add(Map.entry("Host", "127.0.0.1:" + port));
        out.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> lines.add(Map.entry(name, v)));
            }
        });
        String target = out.encodedPath() + out.encodedQueryParameters().map(q -> "?" + q).orElse("");
        return new Request(method, target, lines, wire);
    }

    private static byte[] readAll(ContentStreamProvider p) {
        try (InputStream in = p.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
