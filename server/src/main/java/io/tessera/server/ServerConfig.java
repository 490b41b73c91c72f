package io.tessera.server;

import io.tessera.cluster.ClusterConfig;
import io.tessera.engine.EngineConfig;
import io.tessera.server.auth.Credential;
import io.tessera.server.netty.NettyLimits;
import io.tessera.server.tls.TlsConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * How a node is set up. Immutable; the {@code with*} methods return changed copies.
 *
 * @param engine        the engine's configuration (its data directory is the node's)
 * @param listen        the address to listen on (port 0 picks a free one)
 * @param region        the region clients must sign for
 * @param credentials   the node's admin keys (at least one), which may do everything on every bucket; the
 *                      other keys are the replicated state's ({@link io.tessera.server.keys.KeyStore})
 * @param domains       base domains for virtual-hosted addressing ({@code bucket.domain}); others are path-style
 * @param netThreads    Netty event loop threads (0: twice the cores)
 * @param engineThreads the engine's I/O threads (disk writes, reads, metadata)
 * @param limits        limits of the HTTP layer
 * @param clock         the clock signatures are checked against
 * @param tls           the certificate and key to serve HTTPS with, or null for plain HTTP
 * @param group         the replicated group this node is a member of, or null for a node on its own
 */
public record ServerConfig(EngineConfig engine, InetSocketAddress listen, String region, List<Credential> credentials,
                           List<String> domains, int netThreads, int engineThreads, NettyLimits limits,
                           Clock clock, TlsConfig tls, ClusterConfig group) {
    public static final String DEFAULT_REGION = "us-east-1";

    public ServerConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(region, "region");
        credentials = List.copyOf(credentials);
        domains = List.copyOf(domains);
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one credential");
        }
    }

    /** A node on {@code dataDir} with S3's defaults, listening on {@code listen}. */
    public static ServerConfig of(Path dataDir, InetSocketAddress listen, List<Credential> credentials) {
        return new ServerConfig(EngineConfig.defaults(dataDir), listen, DEFAULT_REGION, credentials,
                List.of("localhost"), 0, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()),
                NettyLimits.defaults(), Clock.systemUTC(), null, null);
    }

    public Path dataDir() {
        return engine.dataDir();
    }

    public ServerConfig withEngine(EngineConfig e) {
        return new ServerConfig(e, listen, region, credentials, domains, netThreads, engineThreads,
                limits, clock, tls, group);
    }

    public ServerConfig withRegion(String r) {
        return new ServerConfig(engine, listen, r, credentials, domains, netThreads, engineThreads,
                limits, clock, tls, group);
    }

    public ServerConfig withDomains(List<String> d) {
        return new ServerConfig(engine, listen, region, credentials, d, netThreads, engineThreads,
                limits, clock, tls, group);
    }

    public ServerConfig withLimits(NettyLimits l) {
        return new ServerConfig(engine, listen, region, credentials, domains, netThreads, engineThreads,
                l, clock, tls, group);
    }

    public ServerConfig withClock(Clock c) {
        return new ServerConfig(engine, listen, region, credentials, domains, netThreads, engineThreads,
                limits, c, tls, group);
    }

    /** HTTPS with these files, or plain HTTP for null. */
    public ServerConfig withTls(TlsConfig t) {
        return new ServerConfig(engine, listen, region, credentials, domains, netThreads, engineThreads,
                limits, clock, t, group);
    }

    /** A member of the group {@code g} (null: a node on its own). */
    public ServerConfig withGroup(ClusterConfig g) {
        return new ServerConfig(engine, listen, region, credentials, domains, netThreads, engineThreads,
                limits, clock, tls, g);
    }

    public ServerConfig withThreads(int net, int engineIo) {
        return new ServerConfig(engine, listen, region, credentials, domains, net, engineIo, limits, clock, tls, group);
    }
}
