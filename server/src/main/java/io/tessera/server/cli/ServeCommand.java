package io.tessera.server.cli;

import io.tessera.server.S3Server;
import io.tessera.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tessera serve}: runs a node until SIGTERM or Ctrl-C, then shuts it down gracefully.
 * Settings come from the flags, else the config file ({@code --config}, Java properties with the same
 * names as the long flags: {@code data}, {@code listen}, {@code region}, {@code access-key},
 * {@code secret-key}, {@code owner-id}, {@code owner-name}, {@code domains}), else the defaults.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a Tessera node.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data", description = "data directory (default: ./data)")
    private Path data;

    @Option(names = "--listen", description = "address to listen on, host:port (default: 127.0.0.1:9000)")
    private String listen;

    @Option(names = "--region", description = "region clients sign for (default: us-east-1)")
    private String region;

    @Option(names = "--access-key", description = "access key id (else $TESSERA_ACCESS_KEY, the config file,"
            + " or a key pair generated into the data directory)")
    private String accessKey;

    @Option(names = "--secret-key", description = "secret access key (else $TESSERA_SECRET_KEY, ...)")
    private String secretKey;

    @Option(names = "--owner-id", description = "canonical owner id, 64 hex digits (default: derived from the key)")
    private String ownerId;

    @Option(names = "--owner-name", description = "owner display name (default: tessera)")
    private String ownerName;

    @Option(names = "--domain", description = "base domain for virtual-hosted buckets, repeatable"
            + " (default: localhost)")
    private List<String> domains;

    @Option(names = "--config", description = "a properties file with defaults for these options")
    private Path config;

    @Override
    public Integer call() throws Exception {
        Properties file = config == null ? new Properties() : CredentialSource.load(config);
        Path dataDir = data != null ? data : Path.of(file.getProperty("data", "./data"));
        InetSocketAddress address = parseListen(listen != null ? listen : file.getProperty("listen", "127.0.0.1:9000"));
        String reg = region != null ? region : file.getProperty("region", ServerConfig.DEFAULT_REGION);
        List<String> doms = domains != null ? domains
                : file.getProperty("domains") != null ? Arrays.asList(file.getProperty("domains").split(","))
                : List.of("localhost");
        CredentialSource.Resolved cred = CredentialSource.resolve(accessKey, secretKey, config == null ? null : file,
                ownerId, ownerName, dataDir);
        ServerConfig sc = ServerConfig.of(dataDir, address, List.of(cred.credential())).withRegion(reg)
                .withDomains(new ArrayList<>(doms));
        S3Server server = S3Server.start(sc);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "tessera-shutdown"));
        System.out.println("Tessera listening on " + server.endpoint() + "  (data " + dataDir.toAbsolutePath().normalize()
                + ", region " + reg + ")");
        if (cred.generated()) {
            System.out.println("Generated a key pair for this node, stored in " + cred.origin() + ":");
            System.out.println("  access key: " + cred.credential().accessKeyId());
            System.out.println("  secret key: " + cred.credential().secretKey());
        } else {
            System.out.println("Access key " + cred.credential().accessKeyId() + " (from " + cred.origin() + ")");
        }
        System.out.println("Example: AWS_ACCESS_KEY_ID=" + cred.credential().accessKeyId()
                + " AWS_SECRET_ACCESS_KEY=... aws --endpoint-url " + server.endpoint() + " s3 ls");
        System.out.flush();
        stopped.await();
        return 0;
    }

    static InetSocketAddress parseListen(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen must be host:port, got " + s);
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(s.substring(colon + 1)));
    }
}
