package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * A node serving HTTPS with a certificate made at test time, driven by the AWS SDK v2 over TLS
 * (trusting exactly that certificate): objects, multipart uploads, ranges, presigned URLs and
 * virtual-hosted names work as over plain HTTP, with the bodies the SDK sends over HTTPS
 * ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}, {@code UNSIGNED-PAYLOAD}). Plain HTTP to the TLS port is
 * answered 400 and closed, never served and never left hanging. Run by its subclasses per key type and
 * TLS provider.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class TlsContract {
    static final String BUCKET = "tls-objects";
    static final String VHOST_BUCKET = "tls-vhost";

    Path dir;
    TestCertificates.Issued cert;
    TestNode node;
    S3Client s3;
    /** Method, host and x-amz-content-sha256 of every request the SDK clients sent. */
    final List<String> sent = new CopyOnWriteArrayList<>();

    /** "RSA" or "EC". */
    abstract String keyAlgorithm();

    /** Whether the node is told to use the JDK's TLS instead of OpenSSL. */
    abstract boolean jdkProvider();

    @BeforeAll
    void start() throws IOException {
        dir = TempDirs.create("tessera-tls");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        cert = TestCertificates.selfSigned(certs, "node", keyAlgorithm(), VHOST_BUCKET + ".localhost");
        String old = System.setProperty("tessera.tls.jdk", Boolean.toString(jdkProvider()));
        try {
            node = TestNode.start(TestNode.baseConfig(dir.resolve("data")).withTls(cert.config()));
        } finally {
            if (old == null) {
                System.clearProperty("tessera.tls.jdk");
            } else {
                System.setProperty("tessera.tls.jdk", old);
            }
        }
        s3 = client(node.endpoint(), true, false);
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
        TempDirs.delete(dir);
    }

    /** An SDK client over HTTPS that trusts the node's certificate and sends *.localhost to 127.0.0.1. */
    S3Client client(URI endpoint, boolean pathStyle, boolean checksumsWhenRequired) {
        TrustManager[] trust = {TestCertificates.trusting(cert.certificate())};
        var b = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestNode.ACCESS_KEY, TestNode.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .tlsTrustManagersProvider(() -> trust)
                        .dnsResolver(TlsContract::resolveLocalhost)
                        .socketTimeout(Duration.ofSeconds(60)).connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(120))
                        .addExecutionInterceptor(new Recorder()));
        if (checksumsWhenRequired) {
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    private static InetAddress[] resolveLocalhost(String host) throws UnknownHostException {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        }
        return InetAddress.getAllByName(host);
    }

    /** Notes what each request looked like on the wire. */
    private final class Recorder implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            SdkHttpRequest r = context.httpRequest();
            sent.add(r.method() + " " + r.protocol() + "://" + r.host() + " "
                    + r.firstMatchingHeader("x-amz-content-sha256").orElse("-"));
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void theNodeServesHttpsWithTheExpectedProvider() {
        assertThat(node.endpoint().getScheme()).isEqualTo("https");
        assertThat(node.server().tls().provider())
                .startsWith(!jdkProvider() && TestCertificates.openSslExpected() ? "OpenSSL" : "JDK");
    }

    @Test
    void putObjectWithUnsignedTrailerBodiesReadsBackBitExact() {
        // Larger than the read window (4 MiB) and many copy chunks: flow control works through TLS.
        byte[] data = random(9 * 1024 * 1024 + 7, 1);
        s3.putObject(r -> r.bucket(BUCKET).key("big"), RequestBody.fromBytes(data));
        assertThat(sent).contains("PUT https://127.0.0.1 STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("big"));
        assertThat(got.asByteArray()).isEqualTo(data);
        byte[] range = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("big").range("bytes=1000000-5500000"))
                .asByteArray();
        assertThat(range).isEqualTo(Arrays.copyOfRange(data, 1_000_000, 5_500_001));
    }

    @Test
    void checksumsWhenRequiredSendUnsignedPayload() {
        byte[] data = random(300_000, 2);
        try (S3Client plain = client(node.endpoint(), true, true)) {
            plain.putObject(r -> r.bucket(BUCKET).key("unsigned"), RequestBody.fromBytes(data));
            assertThat(plain.getObjectAsBytes(r -> r.bucket(BUCKET).key("unsigned")).asByteArray()).isEqualTo(data);
        }
        assertThat(sent).contains("PUT https://127.0.0.1 UNSIGNED-PAYLOAD");
    }

    @Test
    void multipartUploadReadsBackBitExact() {
        String key = "multi/part";
        String id = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
        byte[][] parts = {random(1 << 20, 3), random(1 << 20, 4), random(300 * 1024 + 5, 5)};
        List<CompletedPart> done = new ArrayList<>();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            int n = i + 1;
            byte[] body = parts[i];
            String etag = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(id).partNumber(n),
                    RequestBody.fromBytes(body)).eTag();
            done.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            whole.writeBytes(body);
        }
        String etag = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(id)
                .multipartUpload(u -> u.parts(done))).eTag();
        assertThat(etag).endsWith("-3\"");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(whole.toByteArray());
        assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key).partNumber(2)).asByteArray())
                .isEqualTo(parts[1]);
    }

    @Test
    void presignedGetOverHttps() throws Exception {
        byte[] data = random(200_000, 6);
        s3.putObject(r -> r.bucket(BUCKET).key("presigned"), RequestBody.fromBytes(data));
        try (S3Presigner p = S3Presigner.builder()
                .endpointOverride(node.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestNode.ACCESS_KEY, TestNode.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            PresignedGetObjectRequest get = p.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(BUCKET).key("presigned")));
            assertThat(get.url().getProtocol()).isEqualTo("https");
            HttpsURLConnection conn = (HttpsURLConnection) get.url().openConnection();
            conn.setSSLSocketFactory(TestCertificates.clientContext(cert.certificate()).getSocketFactory());
            assertThat(conn.getResponseCode()).isEqualTo(200);
            try (InputStream in = conn.getInputStream()) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void virtualHostedAddressingOverHttps() {
        URI endpoint = URI.create("https://localhost:" + node.port());
        byte[] data = random(70_000, 7);
        try (S3Client vhost = client(endpoint, false, false)) {
            vhost.createBucket(b -> b.bucket(VHOST_BUCKET));
            vhost.putObject(r -> r.bucket(VHOST_BUCKET).key("a/b"), RequestBody.fromBytes(data));
            assertThat(vhost.getObjectAsBytes(r -> r.bucket(VHOST_BUCKET).key("a/b")).asByteArray()).isEqualTo(data);
        }
        assertThat(sent).contains("PUT https://" + VHOST_BUCKET + ".localhost STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(VHOST_BUCKET).key("a/b")).asByteArray()).isEqualTo(data);
    }

    @Test
    void plainHttpOnTheTlsPortIsAnswered400AndClosed() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", node.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /" + BUCKET + "/big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer;
            try {
                answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the node left a plain-HTTP connection open", e);
            }
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n")
                    .contains("Connection: close", "<Code>InvalidRequest</Code>", "https://");
        }
        URI http = URI.create("http://127.0.0.1:" + node.port());
        try (S3Client wrongScheme = client(http, true, false)) {
            assertThatThrownBy(() -> wrongScheme.getObjectAsBytes(r -> r.bucket(BUCKET).key("big")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("https://");
                    });
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsAndTheNodeGoesOn() {
        try (S3Client untrusting = S3Client.builder()
                .endpointOverride(node.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestNode.ACCESS_KEY, TestNode.SECRET_KEY)))
                .forcePathStyle(true)
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            assertThatThrownBy(() -> untrusting.headBucket(b -> b.bucket(BUCKET)))
                    .isInstanceOf(SdkClientException.class)
                    .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SSLHandshakeException.class));
        }
        s3.headBucket(b -> b.bucket(BUCKET));
    }
}
