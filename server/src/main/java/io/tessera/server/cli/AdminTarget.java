package io.tessera.server.cli;

import io.tessera.server.OpsConfig;
import io.tessera.server.ServerConfig;
import io.tessera.server.admin.Durations;
import io.tessera.server.auth.SigV4Signer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where an admin command does its work, shared by all of them: a running node's admin API
 * ({@code --endpoint}, the default) or, with {@code --data DIR} alone, the data directory itself while
 * no node runs on it. The admin key comes from {@code --access-key}/{@code --secret-key}, else
 * {@code TESSERA_ACCESS_KEY}/{@code TESSERA_SECRET_KEY}, else the data directory's
 * {@code credentials.properties} (the key a node generated on its first start).
 */
final class AdminTarget {
    @Option(names = "--endpoint", paramLabel = "URL", description = "a running node's admin listener (default: http://"
            + OpsConfig.DEFAULT_ADMIN_LISTEN + " unless --data is given alone; tessera cluster status takes one per"
            + " node)")
    List<URI> endpoints = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", description = "alone: work offline on this data directory (no node"
            + " may run on it); with --endpoint: where credentials.properties is read (default ./data)")
    Path data;

    @Option(names = "--access-key", description = "the node's admin key id (else $TESSERA_ACCESS_KEY, else the data"
            + " directory's credentials.properties)")
    String accessKey;

    @Option(names = "--secret-key", description = "its secret (else $TESSERA_SECRET_KEY, ...)")
    String secretKey;

    @Option(names = "--region", description = "the region the node signs for (default: us-east-1)")
    String region = ServerConfig.DEFAULT_REGION;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "how long to wait for a node doing gc, fsck"
            + " or aborts (default: 2h; 90s, 30m, 12h, ...)")
    String timeout = "2h";

    /** Connects to the node, or opens the data directory when only {@code --data} was given. */
    AdminClient connect(String command) {
        if (endpoints.isEmpty() && data != null) {
            return LocalAdmin.open(data, command);
        }
        if (endpoints.size() > 1) {
            throw new AdminException("give one --endpoint (only tessera cluster status asks several nodes)");
        }
        return remote(endpoints.isEmpty() ? URI.create("http://" + OpsConfig.DEFAULT_ADMIN_LISTEN) : endpoints.get(0));
    }

    /**
     * The node at {@code --endpoint} (the default one when none is given), also when {@code --data} is given
     * alone: what only a running node knows (its group) cannot be read from a data directory.
     */
    AdminClient connectRemote() {
        if (endpoints.size() > 1) {
            throw new AdminException("give one --endpoint (only tessera cluster status asks several nodes)");
        }
        return remote(endpoints.isEmpty() ? URI.create("http://" + OpsConfig.DEFAULT_ADMIN_LISTEN) : endpoints.get(0));
    }

    /** The node at each {@code --endpoint} (the default one when none is given), all with the same admin key. */
    List<AdminClient> connectEach() {
        if (endpoints.size() <= 1) {
            return List.of(connectRemote());
        }
        List<AdminClient> out = new ArrayList<>();
        for (URI uri : endpoints) {
            out.add(remote(uri));
        }
        return out;
    }

    private AdminClient remote(URI uri) {
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new AdminException("--endpoint must be http://host:port, not " + uri);
        }
        Duration wait;
        try {
            wait = Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw new AdminException("--timeout: " + e.getMessage());
        }
        String[] key = credentials();
        return new RemoteAdmin(uri, new SigV4Signer(key[0], key[1], region), wait, Clock.systemUTC());
    }

    /** The admin key: flags, environment, then the data directory's credentials file. */
    private String[] credentials() {
        if (accessKey != null || secretKey != null) {
            return pair(accessKey, secretKey, "--access-key and --secret-key go together");
        }
        String envKey = System.getenv("TESSERA_ACCESS_KEY");
        String envSecret = System.getenv("TESSERA_SECRET_KEY");
        if (envKey != null || envSecret != null) {
            return pair(envKey, envSecret, "TESSERA_ACCESS_KEY and TESSERA_SECRET_KEY go together");
        }
        Path dir = data != null ? data : Path.of("data");
        Path file = dir.resolve(CredentialSource.FILE);
        if (!Files.isReadable(file)) {
            throw new AdminException("no admin key: give --access-key and --secret-key, set TESSERA_ACCESS_KEY and"
                    + " TESSERA_SECRET_KEY, or point --data at the node's data directory (" + file
                    + " is not readable)");
        }
        Properties p = CredentialSource.load(file);
        return pair(p.getProperty("access-key"), p.getProperty("secret-key"), file + " lacks access-key or secret-key");
    }

    private static String[] pair(String key, String secret, String otherwise) {
        if (key == null || key.isEmpty() || secret == null || secret.isEmpty()) {
            throw new AdminException(otherwise);
        }
        return new String[] {key, secret};
    }
}
