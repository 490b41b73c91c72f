package io.tessera.server.it;

import io.tessera.engine.EngineConfig;
import io.tessera.engine.SegmentSpace;
import io.tessera.engine.GcPolicy;
import io.tessera.server.OpsConfig;
import io.tessera.server.S3Server;
import io.tessera.server.ServerConfig;
import io.tessera.server.auth.Credential;
import io.tessera.server.keys.AccessKey;
import io.tessera.server.keys.KeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A real node for integration tests: the engine on a temporary directory (small minimum part size
 * and segments, so tests stay tiny), Netty on an ephemeral loopback port, and SDK clients pointed at
 * it (path-style, no retries, so every failure is seen). {@link #ACCESS_KEY} is its admin key;
 * {@link #OTHER_ACCESS_KEY} is a key of its key store.
 */
public final class TestNode implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIATESSERATESTKEY01";
    public static final String SECRET_KEY = "tessera/test+secret/KEY0123456789abcdefg";
    public static final String OWNER_ID = "a".repeat(64);
    public static final String OWNER_NAME = "tessera-test";
    public static final String OTHER_ACCESS_KEY = "AKIATESSERAOTHERKEY2";
    public static final String OTHER_SECRET_KEY = "other/secret";
    public static final String OTHER_OWNER_ID = "b".repeat(64);
    public static final long MIN_PART = 5 * 1024;

    private final S3Server server;

    private TestNode(S3Server server) {
        this.server = server;
    }

    public static TestNode start(Path dir) {
        return start(baseConfig(dir));
    }

    public static ServerConfig baseConfig(Path dir) {
        List<Credential> creds = List.of(new Credential(ACCESS_KEY, SECRET_KEY, OWNER_ID, OWNER_NAME));
        EngineConfig engine = EngineConfig.defaults(dir).withMinPartSize(MIN_PART).withSegmentSize(8L << 20)
                .withGc(GcPolicy.MANUAL);
        return ServerConfig.of(dir, new InetSocketAddress("127.0.0.1", 0), creds).withEngine(engine)
                .withThreads(2, 8);
    }

    /**
     * Starts a node; its key store holds the other key, with no permissions (unless the store says
     * otherwise), except on a group member, which holds only the admin key.
     */
    public static TestNode start(ServerConfig config) {
        return start(config, OpsConfig.none());
    }

    /** A node with the operator's side as {@code ops} says (see {@link #adminOps()}); its key store as above. */
    public static TestNode start(ServerConfig config, OpsConfig ops) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S3Server server = S3Server.start(config, ops);
        KeyStore keys = new KeyStore(server.engine());
        // a group member alone has no leader to read the keys through: its tests use the admin key only
        if (config.group() == null && keys.list().find(OTHER_ACCESS_KEY).isEmpty()) {
            keys.put(List.of(AccessKey.create(OTHER_ACCESS_KEY, OTHER_SECRET_KEY, "other", OTHER_OWNER_ID, "other",
                    Instant.parse("2025-01-01T00:00:00Z"))));
        }
        return new TestNode(server);
    }

    /** An admin listener on an ephemeral loopback port, no access log. */
    public static OpsConfig adminOps() {
        return OpsConfig.none().withAdminListen(new InetSocketAddress("127.0.0.1", 0));
    }

    /** {@code http://127.0.0.1:port} of the admin listener. */
    public URI adminEndpoint() {
        return server.adminEndpoint();
    }

    public S3Server server() {
        return server;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public int port() {
        return server.address().getPort();
    }

    /** A client with the SDK's default checksum behaviour, or with checksums only when required. */
    public S3Client client(boolean checksumsWhenRequired) {
        return client(ACCESS_KEY, SECRET_KEY, checksumsWhenRequired);
    }

    public S3Client client(String accessKey, String secretKey, boolean checksumsWhenRequired) {
        var b = S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32)
                        .socketTimeout(Duration.ofSeconds(60)).connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(120)));
        if (checksumsWhenRequired) {
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    public S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** Bytes the engine counts as live in all segments. */
    public long liveBytes() {
        long sum = 0;
        for (Map.Entry<Long, SegmentSpace> e : server.engine().space().entrySet()) {
            sum += e.getValue().liveBytes();
        }
        return sum;
    }

    /** Total bytes of all segment files. */
    public long segmentBytes() {
        long sum = 0;
        for (Map.Entry<Long, SegmentSpace> e : server.engine().space().entrySet()) {
            sum += e.getValue().size();
        }
        return sum;
    }

    @Override
    public void close() {
        server.close();
    }
}
