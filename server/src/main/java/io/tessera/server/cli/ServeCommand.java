package io.tessera.server.cli;

import io.tessera.cluster.ClusterConfig;
import io.tessera.cluster.ClusterPeer;
import io.tessera.engine.EngineConfig;
import io.tessera.server.OpsConfig;
import io.tessera.server.S3Server;
import io.tessera.server.ServerConfig;
import io.tessera.server.netty.NettyLimits;
import io.tessera.server.tls.ServerTls;
import io.tessera.server.tls.TlsConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tessera serve}: runs a node until SIGTERM or Ctrl-C, then shuts it down gracefully.
 * Settings come from the flags, else the config file ({@code --config}, Java properties with the same
 * names as the long flags: {@code data}, {@code listen}, {@code region}, {@code access-key},
 * {@code secret-key}, {@code owner-id}, {@code owner-name}, {@code domains}, {@code tls-cert},
 * {@code tls-key}, and the limits such as {@code max-connections}; {@code admin-listen} and {@code access-log}
 * of {@link OpsOptions}), else the defaults.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a Tessera node.")
final class ServeCommand implements Callable<Integer> {
    /** System property (bytes) that lowers the minimum part size for benchmarks and tests; never in --help. */
    static final String MIN_PART_SIZE_PROPERTY = "tessera.minPartSize";

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

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "serve HTTPS with this PEM certificate chain"
            + " (server certificate first); needs --tls-key")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "the certificate's private key, unencrypted"
            + " PKCS#8 PEM (BEGIN PRIVATE KEY, as openssl req -nodes writes it)")
    private Path tlsKey;

    @Option(names = "--config", description = "a properties file with defaults for these options")
    private Path config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--max-connections", paramLabel = "N", description = "open client connections; more are"
            + " closed as soon as accepted (default: " + NettyLimits.DEFAULT_MAX_CONNECTIONS + ")")
    private Integer maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "a connection silent this long is"
            + " closed (default: " + NettyLimits.DEFAULT_IDLE_SECONDS + ")")
    private Integer idleTimeout;

    @Option(names = "--header-timeout", paramLabel = "SECONDS", description = "time to send a whole request head"
            + " from its first byte, then 400 RequestTimeout (default: " + NettyLimits.DEFAULT_HEADER_TIMEOUT_SECONDS
            + ")")
    private Integer headerTimeout;

    @Option(names = "--body-timeout", paramLabel = "SECONDS", description = "time a request body may stall while"
            + " the node reads it, then 400 RequestTimeout (default: " + NettyLimits.DEFAULT_BODY_TIMEOUT_SECONDS
            + ")")
    private Integer bodyTimeout;

    @Option(names = "--body-min-rate", paramLabel = "BYTES_PER_SECOND", description = "the slowest average a"
            + " request body may arrive at, 0 for none (default: " + NettyLimits.DEFAULT_BODY_MIN_RATE + ")")
    private Long bodyMinRate;

    @Option(names = "--max-bodies", paramLabel = "N", description = "request bodies read at once, small ones"
            + " not counted (default: " + NettyLimits.DEFAULT_MAX_BODIES + ")")
    private Integer maxBodies;

    @Option(names = "--max-body-memory", paramLabel = "MIB", description = "memory the bodies read at once may"
            + " hold (default: " + NettyLimits.DEFAULT_MAX_BODY_MEMORY_MIB + ")")
    private Long maxBodyMemory;

    @Option(names = "--max-body-waiters", paramLabel = "N", description = "requests that may wait for their body"
            + " to be admitted; more get 503 SlowDown at once (default: " + NettyLimits.DEFAULT_MAX_BODY_WAITERS
            + ")")
    private Integer maxBodyWaiters;

    @Option(names = "--max-client-share", paramLabel = "PERCENT", description = "the share of the bodies, their"
            + " memory and the waiting places one client (access key, or address when unsigned) may hold; beyond it"
            + " its requests get 503 SlowDown and others' go on (default: " + NettyLimits.DEFAULT_MAX_CLIENT_SHARE
            + ")")
    private Integer maxClientShare;

    @Option(names = "--body-admission-wait", paramLabel = "SECONDS", description = "the longest a request waits"
            + " for admission, then 503 SlowDown (default: " + NettyLimits.DEFAULT_BODY_ADMISSION_WAIT_SECONDS + ")")
    private Integer bodyAdmissionWait;

    @Option(names = "--retry-after", paramLabel = "SECONDS", description = "the Retry-After of 503 answers"
            + " (default: " + NettyLimits.DEFAULT_RETRY_AFTER_SECONDS + ")")
    private Integer retryAfter;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", description = "on SIGTERM, how long requests in"
            + " flight may finish before they are cut (default: " + NettyLimits.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS
            + ")")
    private Integer shutdownTimeout;

    @Mixin
    private OpsOptions ops;

    @Option(names = "--min-free-space", paramLabel = "MIB", description = "disk space object data leaves free, so"
            + " that deletes still commit and collection still frees space on a full disk; writes past it are"
            + " answered 507 XTesseraStorageFull, and segments are kept to half of it (default: a tenth of the disk,"
            + " at least 8 and at most 512)")
    private Long minFreeSpace;

    @Option(names = "--small-body-limit", paramLabel = "KIB", description = "a PutObject of announced length up to"
            + " this size needs no write lane: its body is collected in memory and group-committed with other small"
            + " bodies (one fdatasync for many); 0: every body takes a lane (default: "
            + (EngineConfig.DEFAULT_SMALL_BODY_LIMIT >> 10) + ", at most " + (EngineConfig.MAX_SMALL_BODY_LIMIT >> 10)
            + ")")
    private Long smallBodyLimit;

    @Option(names = "--node-id", paramLabel = "ID", description = "run as this member of a replicated group (with"
            + " --peer-listen and --peers); the group keeps every write on a majority of its nodes")
    private String nodeId;

    @Option(names = "--peer-listen", paramLabel = "HOST:PORT[:STREAMPORT]", description = "where this member"
            + " listens for its peers (its own address in --peers); its DataStream listener takes STREAMPORT when"
            + " written, else the stream port of its entry in --peers (write it when peers reach this member"
            + " through a proxy)")
    private String peerListen;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT,...", description = "every member of the group, this"
            + " node included, by id and peer address")
    private String peers;

    @Override
    public Integer call() throws Exception {
        Properties file = config == null ? new Properties() : CredentialSource.load(config);
        Path dataDir = data != null ? data : Path.of(file.getProperty("data", "./data"));
        InetSocketAddress address = parseListen(listen != null ? listen : file.getProperty("listen", "127.0.0.1:9000"));
        String reg = region != null ? region : file.getProperty("region", ServerConfig.DEFAULT_REGION);
        List<String> doms = domains != null ? domains
                : file.getProperty("domains") != null ? Arrays.asList(file.getProperty("domains").split(","))
                : List.of("localhost");
        TlsConfig tls = tls(file);
        if (tls != null) {
            ServerTls.load(tls); // unusable files fail here, before a first start generates a key pair
        }
        OpsConfig opsConfig = ops.config(file);
        CredentialSource.Resolved cred = CredentialSource.resolve(accessKey, secretKey, config == null ? null : file,
                ownerId, ownerName, dataDir);
        ServerConfig sc = ServerConfig.of(dataDir, address, List.of(cred.credential())).withRegion(reg)
                .withDomains(new ArrayList<>(doms)).withTls(tls);
        sc = sc.withLimits(limits(sc.limits(), file));
        sc = sc.withEngine(engine(sc.engine(), file));
        sc = sc.withGroup(group(dataDir, file));
        S3Server server = S3Server.start(sc, opsConfig);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "tessera-shutdown"));
        System.out.println("Tessera listening on " + server.endpoint() + "  (data " + dataDir.toAbsolutePath().normalize()
                + ", region " + reg + ")");
        ServerTls serverTls = server.tls();
        String caBundle = "";
        if (serverTls == null) {
            System.out.println("Plain HTTP: requests and unsigned payloads travel in clear text"
                    + " (--tls-cert and --tls-key serve HTTPS)");
        } else {
            System.out.println("TLS by " + serverTls.describe());
            caBundle = serverTls.selfSigned() ? " --ca-bundle " + tls.certificateChain() : "";
        }
        if (cred.generated()) {
            System.out.println("Generated a key pair for this node, stored in " + cred.origin() + ":");
            System.out.println("  access key: " + cred.credential().accessKeyId());
            System.out.println("  secret key: " + cred.credential().secretKey());
        } else {
            System.out.println("Access key " + cred.credential().accessKeyId() + " (from " + cred.origin() + ")");
        }
        System.out.println("Example: AWS_ACCESS_KEY_ID=" + cred.credential().accessKeyId()
                + " AWS_SECRET_ACCESS_KEY=... aws --endpoint-url " + server.endpoint() + caBundle + " s3 ls");
        if (server.adminEndpoint() != null) {
            System.out.println("Admin listener on " + server.adminEndpoint() + " (/health/live, /health/ready, /metrics;"
                    + " try tessera status --endpoint " + server.adminEndpoint() + " --data " + dataDir + ")");
            if (opsConfig.console().enabled()) {
                System.out.println("Web console: " + server.adminEndpoint() + "/console/ (sign in with the access key"
                        + " above)");
            }
        }
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The group from the flags, else the config file; all three or none. */
    private ClusterConfig group(Path dataDir, Properties file) {
        String id = nodeId != null ? nodeId : blankToNull(file.getProperty("node-id"));
        String listenPeers = peerListen != null ? peerListen : blankToNull(file.getProperty("peer-listen"));
        String all = peers != null ? peers : blankToNull(file.getProperty("peers"));
        if (id == null && listenPeers == null && all == null) {
            return null;
        }
        if (id == null || listenPeers == null || all == null) {
            throw new ParameterException(spec.commandLine(), "a group member needs --node-id, --peer-listen and"
                    + " --peers together");
        }
        try {
            // a snapshot every 10 000 entries; a member the purged log no longer reaches installs a
            // checkpoint and fetches the blobs it lacks (-Dtessera.group.snapshotEvery, .logSegmentBytes and
            // .purgeGap make that happen within a test's few hundred entries)
            return ClusterConfig.of(id.trim(), listenPeers.trim(), ClusterPeer.parseList(all.trim()),
                    dataDir.resolve("group")).withSnapshots(Long.getLong("tessera.group.snapshotEvery",
                    ClusterConfig.DEFAULT_SNAPSHOT_EVERY), Long.getLong("tessera.group.logSegmentBytes",
                    ClusterConfig.DEFAULT_LOG_SEGMENT_BYTES), Integer.getInteger("tessera.group.purgeGap",
                    ClusterConfig.DEFAULT_PURGE_GAP));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The TLS files from the flags, else the config file; both or neither. */
    private TlsConfig tls(Properties file) {
        Path cert = tlsCert != null ? tlsCert : path(file.getProperty("tls-cert"));
        Path key = tlsKey != null ? tlsKey : path(file.getProperty("tls-key"));
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            throw new ParameterException(spec.commandLine(), "HTTPS needs both --tls-cert and --tls-key (only "
                    + (cert == null ? "--tls-key" : "--tls-cert") + " was given)");
        }
        return new TlsConfig(cert, key);
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }

    /** The limits from the flags, else the config file, else {@code d}. */
    NettyLimits limits(NettyLimits d, Properties file) {
        return d.withMaxConnections((int) pick(maxConnections, file, "max-connections", d.maxConnections()))
                .withIdleSeconds((int) pick(idleTimeout, file, "idle-timeout", d.idleSeconds()))
                .withHeaderTimeout(seconds(pick(headerTimeout, file, "header-timeout", d.headerTimeout().toSeconds())))
                .withBodyTimeout(seconds(pick(bodyTimeout, file, "body-timeout", d.bodyTimeout().toSeconds())),
                        pick(bodyMinRate, file, "body-min-rate", d.bodyMinRate()))
                .withBodyAdmission((int) pick(maxBodies, file, "max-bodies", d.maxBodies()),
                        pick(maxBodyMemory, file, "max-body-memory", d.maxBodyMemory() >> 20) << 20,
                        (int) pick(maxBodyWaiters, file, "max-body-waiters", d.maxBodyWaiters()),
                        seconds(pick(bodyAdmissionWait, file, "body-admission-wait",
                                d.bodyAdmissionWait().toSeconds())))
                .withMaxClientShare((int) pick(maxClientShare, file, "max-client-share", d.maxClientShare()))
                .withRetryAfterSeconds((int) pick(retryAfter, file, "retry-after", d.retryAfterSeconds()))
                .withShutdownTimeout(seconds(pick(shutdownTimeout, file, "shutdown-timeout",
                        d.shutdownTimeout().toSeconds())));
    }

    /** The engine settings from the flags, else the config file, else {@code d}. */
    EngineConfig engine(EngineConfig d, Properties file) {
        long mib = pick(minFreeSpace, file, "min-free-space", -1);
        EngineConfig e = mib < 0 ? d : d.withMinFreeSpace(mib << 20);
        long kib = pick(smallBodyLimit, file, "small-body-limit", -1);
        e = kib < 0 ? e : e.withSmallBodyLimit(kib << 10);
        // A benchmark and test knob, not an option: -Dtessera.minPartSize=BYTES lowers S3's 5 MiB minimum of every
        // part but the last, so that an upload of 10 000 parts fits on a test machine (bench/LOAD.md)
        long minPart = Long.getLong(MIN_PART_SIZE_PROPERTY, -1);
        return minPart < 0 ? e : e.withMinPartSize(minPart);
    }

    private static long pick(Number flag, Properties file, String name, long dflt) {
        if (flag != null) {
            return flag.longValue();
        }
        String v = file.getProperty(name);
        return v == null ? dflt : Long.parseLong(v.trim());
    }

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
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
