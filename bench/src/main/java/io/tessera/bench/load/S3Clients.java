package io.tessera.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The driver's S3 clients: SDK v2 sync client on the Apache HTTP client, path-style, no retries (a
 * failure counts as one), default checksums (CRC32 as an aws-chunked trailer), a connection per
 * client thread. Per {@link PayloadMode}: {@code signed} is the SDK's defaults over http;
 * {@code unsigned} and {@code tls} sign headers only ({@link UnsignedTrailerSigning}), over http and
 * over HTTPS trusting the node's certificate.
 */
final class S3Clients {
    private S3Clients() {
    }

    /**
     * @param trusted     PEM certificate the client trusts for an https endpoint (null: the JDK's defaults)
     * @param wire        records what UploadParts carry; null for none
     */
    static S3Client create(URI endpoint, String accessKey, String secretKey, int threads, PayloadMode mode,
                           Path trusted, WireTokens wire) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder().maxConnections(threads + 2)
                .socketTimeout(Duration.ofSeconds(120)).connectionTimeout(Duration.ofSeconds(10))
                .connectionAcquisitionTimeout(Duration.ofSeconds(60));
        if (trusted != null) {
            TrustManager[] tms = SelfSignedCertificate.trusting(trusted);
            http.tlsTrustManagersProvider(() -> tms);
        }
        S3ClientBuilder b = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(http)
                .overrideConfiguration(o -> {
                    o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    if (wire != null) {
                        o.addExecutionInterceptor(wire);
                    }
                });
        if (mode != PayloadMode.SIGNED) {
            b.putAuthScheme(UnsignedTrailerSigning.scheme());
        }
        return b.build();
    }

    /** A presigned GET of {@code bucket/key} at {@code endpoint}, valid for six hours. */
    static URI presignGet(URI endpoint, String accessKey, String secretKey, String bucket, String key) {
        try (S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            return URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofHours(6))
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString());
        }
    }
}
