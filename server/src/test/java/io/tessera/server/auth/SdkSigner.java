package io.tessera.server.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the real AWS SDK for Java v2 signer and converts them to {@link SigV4Request}. */
final class SdkSigner {
    static final String ACCESS_KEY = "AKIDTESSERATEST";
    static final String SECRET_KEY = "tessera/secret+key/for+tests";
    static final String REGION = "us-east-1";
    static final Credential CREDENTIAL = new Credential(ACCESS_KEY, SECRET_KEY, "owner-id", "owner");

    /** What the SDK produced: the request as the server would see it and the body bytes on the wire. */
    record Signed(SigV4Request request, byte[] body, SdkHttpRequest sdkRequest) {
    }

    /** Options for one signing. */
    record Options(boolean payloadSigning, boolean chunked, ChecksumAlgorithm checksum, Duration presignFor) {
        static Options header() {
            return new Options(true, false, null, null);
        }

        static Options unsignedPayload() {
            return new Options(false, false, null, null);
        }

        static Options presigned(Duration d) {
            return new Options(false, false, null, d);
        }

        static Options chunked(boolean signed, ChecksumAlgorithm checksum) {
            return new Options(signed, true, checksum, null);
        }
    }

    static {
        // The SDK signer logs every canonical request at DEBUG; keep test output and time small.
        org.slf4j.Logger sdk = org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk");
        if (sdk instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    private SdkSigner() {
    }

    /** Signs {@code url} (path already encoded) with extra query parameters (raw, the SDK encodes them). */
    static Signed sign(String method, String url, Map<String, List<String>> headers, byte[] body, Instant at,
            Options o) {
        return sign(method, url, List.of(), headers, body, at, o);
    }

    static Signed sign(String method, String url, List<Map.Entry<String, String>> query,
            Map<String, List<String>> headers, byte[] body, Instant at, Options o) {
        SdkHttpRequest.Builder rb = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(url));
        for (Map.Entry<String, String> q : query) {
            rb.appendRawQueryParameter(q.getKey(), q.getValue());
        }
        headers.forEach(rb::putHeader);
        if (body != null && o.chunked()) {
            rb.putHeader("x-amz-decoded-content-length", Integer.toString(body.length));
            rb.putHeader("Content-Length", Integer.toString(body.length));
        }
        SdkHttpRequest request = rb.build();
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
                    .request(request)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock)
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, o.payloadSigning())
                    .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, o.chunked());
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArray(body));
            }
            if (o.checksum() != null) {
                r.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, o.checksum());
            }
            if (o.presignFor() != null) {
                r.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, o.presignFor());
            }
        });
        SdkHttpRequest out = signed.request();
        byte[] wire = signed.payload().map(SdkSigner::readAll).orElse(new byte[0]);
        return new Signed(toRequest(out), wire, out);
    }

    static SigV4Request toRequest(SdkHttpRequest r) {
        URI uri = r.getUri();
        SigV4Request.Builder b = SigV4Request.builder().method(r.method().name())
                .rawPath(uri.getRawPath()).rawQuery(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        boolean hasHost = false;
        for (Map.Entry<String, List<String>> e : r.headers().entrySet()) {
            hasHost |= e.getKey().equalsIgnoreCase("host");
            for (String v : e.getValue()) {
                b.addHeader(e.getKey(), v);
            }
        }
        if (!hasHost) {
            int port = uri.getPort();
            b.addHeader("Host", port < 0 ? uri.getHost() : uri.getHost() + ":" + port);
        }
        return b.build();
    }

    static byte[] readAll(ContentStreamProvider p) {
        try (InputStream in = p.newStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
