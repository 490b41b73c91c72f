package io.tessera.server.group;

import io.tessera.server.jepsen.FaultProxy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;

/**
 * A group of real {@code tessera serve} processes on loopback, each with its own data directory, S3
 * port, admin port (health, metrics, the admin API with {@link #ACCESS_KEY}), peer port and DataStream
 * port, started with this JVM's class path. Nodes can be killed with SIGKILL and started again on the
 * same directory and ports. Every process is killed when the group closes.
 *
 * <p>{@link #startBehindProxies} puts a {@link FaultProxy} in front of every member's peer port and
 * DataStream port: {@code --peers} names the proxies (the same list for every member, so Ratis's
 * configuration is identical everywhere) while each member binds its real ports
 * ({@code --peer-listen host:port:streamPort}). Faulting member j's proxies faults the connections the
 * others open to j; j's own connections to the others go through their proxies.
 *
 * <p>{@link #startWithSpares} also reserves ports and directories for members not started at first (to
 * replace one that died): {@link #replaceInPeers} changes the peer list the members started from then on
 * are given, as an operator does before starting the replacement.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class GroupProcesses implements AutoCloseable {
    static final String ACCESS_KEY = "AKIAGROUPTESTKEY0001";
    static final String SECRET_KEY = "group/test/secret/key/0000000000000000000";

    private final Path root;
    private final int size;
    /** Members and spares: every slot has its ports and directory. */
    private final int slots;
    /** The slots {@code --peers} names, in order: the first {@code size} until {@link #replaceInPeers}. */
    private final List<Integer> members = new ArrayList<>();
    private final int[] s3Ports;
    private final int[] peerPorts;
    private final int[] streamPorts;
    private final int[] adminPorts;
    private final Process[] processes;
    /** JVM options every member starts with (system properties of a test, say). */
    private final List<String> jvmOptions = new ArrayList<>();
    /** In front of each member's peer port and DataStream port; empty when the members talk directly. */
    private final List<FaultProxy> peerProxies = new ArrayList<>();
    private final List<FaultProxy> streamProxies = new ArrayList<>();

    private GroupProcesses(Path root, int size, int spares, boolean proxied) throws IOException {
        this.root = root;
        this.size = size;
        this.slots = size + spares;
        for (int i = 0; i < size; i++) {
            members.add(i);
        }
        List<ServerSocket> held = holdFreePorts(4 * slots); // held all at once: no two of them are the same
        try {
            int[] ports = held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
            this.s3Ports = java.util.Arrays.copyOfRange(ports, 0, slots);
            this.peerPorts = java.util.Arrays.copyOfRange(ports, slots, 2 * slots);
            this.streamPorts = java.util.Arrays.copyOfRange(ports, 2 * slots, 3 * slots);
            this.adminPorts = java.util.Arrays.copyOfRange(ports, 3 * slots, 4 * slots);
            if (proxied) { // while the members' ports are held, so that no proxy draws one of them
                for (int i = 0; i < slots; i++) {
                    peerProxies.add(FaultProxy.start(peerPorts[i]));
                    streamProxies.add(FaultProxy.start(streamPorts[i]));
                }
            }
        } catch (IOException | RuntimeException e) {
            closeProxies();
            throw e;
        } finally {
            release(held);
        }
        this.processes = new Process[slots];
    }

    /** Starts {@code size} members of one group under {@code root}. */
    static GroupProcesses start(Path root, int size) throws IOException {
        return startAll(new GroupProcesses(root, size, 0, false));
    }

    /** Starts {@code size} members of one group under {@code root}, each JVM with {@code options} too. */
    static GroupProcesses start(Path root, int size, List<String> options) throws IOException {
        return startWithSpares(root, size, 0, options);
    }

    /**
     * Starts {@code size} members of one group under {@code root}, each JVM with {@code options} too, and
     * reserves {@code spares} more slots (ids, ports, directories) that {@link #start(int)} starts later.
     */
    static GroupProcesses startWithSpares(Path root, int size, int spares, List<String> options) throws IOException {
        GroupProcesses g = new GroupProcesses(root, size, spares, false);
        g.jvmOptions.addAll(options);
        return startAll(g);
    }

    /** Starts {@code size} members of one group under {@code root}, each behind its two fault proxies. */
    static GroupProcesses startBehindProxies(Path root, int size) throws IOException {
        return startAll(new GroupProcesses(root, size, 0, true));
    }

    private static GroupProcesses startAll(GroupProcesses g) throws IOException {
        try {
            for (int i = 0; i < g.size; i++) {
                g.start(i);
            }
            return g;
        } catch (IOException | RuntimeException e) {
            try {
                g.close();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    boolean proxied() {
        return !peerProxies.isEmpty();
    }

    /** The proxies in front of member {@code i}'s peer port and DataStream port (empty without proxies). */
    List<FaultProxy> proxies(int i) {
        return proxied() ? List.of(peerProxies.get(i), streamProxies.get(i)) : List.of();
    }

    /** Every proxy of the group. */
    List<FaultProxy> allProxies() {
        List<FaultProxy> all = new ArrayList<>(peerProxies);
        all.addAll(streamProxies);
        return all;
    }

    int size() {
        return size;
    }

    static String id(int i) {
        return "n" + (i + 1);
    }

    private String peers() {
        List<String> out = new ArrayList<>();
        for (int i : members) {
            out.add(id(i) + "=" + peerAddress(i));
        }
        return String.join(",", out);
    }

    /** Where the others reach slot {@code i}: {@code host:port:streamPort}, as {@code --peers} and a replace name it. */
    String peerAddress(int i) {
        int peer = proxied() ? peerProxies.get(i).port() : peerPorts[i];
        int stream = proxied() ? streamProxies.get(i).port() : streamPorts[i];
        return "127.0.0.1:" + peer + ":" + stream;
    }

    /** From now on, members started are given a peer list with slot {@code fresh} in place of {@code dead}. */
    void replaceInPeers(int dead, int fresh) {
        int at = members.indexOf(dead);
        if (at < 0 || members.contains(fresh) || fresh >= slots) {
            throw new IllegalArgumentException(id(dead) + " -> " + id(fresh) + " in " + members);
        }
        members.set(at, fresh);
    }

    /** Starts member {@code i} (again) on its directory and ports. */
    void start(int i) throws IOException {
        if (processes[i] != null && processes[i].isAlive()) {
            throw new IllegalStateException(id(i) + " is running");
        }
        Path data = root.resolve(id(i));
        Files.createDirectories(data);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native") || arg.startsWith("-XX:+Ignore")
                    || arg.startsWith("--sun-misc")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Xmx384m", "-cp", System.getProperty("java.class.path"), "io.tessera.server.cli.Main",
                "serve", "--data", data.toString(), "--listen", "127.0.0.1:" + s3Ports[i],
                "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY, "--admin-listen", "127.0.0.1:" + adminPorts[i],
                "--node-id", id(i), "--peer-listen", "127.0.0.1:" + peerPorts[i] + ":" + streamPorts[i],
                "--peers", peers()));
        processes[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(id(i) + ".log").toFile())).start();
        awaitListening(i);
    }

    /** Waits (at most a minute: JVM start, recovery, the group's node) until member {@code i} takes connections. */
    private void awaitListening(int i) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), s3Ports[i]), 500);
                return;
            } catch (IOException e) {
                if (!processes[i].isAlive()) {
                    throw new IOException(id(i) + " exited while starting:\n" + log(i));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(id(i) + " did not listen within 60 s:\n" + log(i));
                }
                try {
                    processes[i].waitFor(100, TimeUnit.MILLISECONDS); // returns early only if it died
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
    }

    /** Kills member {@code i} with SIGKILL and waits until it is gone. */
    void kill(int i) throws InterruptedException {
        Process p = processes[i];
        if (p != null) {
            p.destroyForcibly();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(id(i) + " did not die");
            }
        }
    }

    /**
     * Writes the thread dump of member {@code i} (jstack of its pid, bounded to 30 s) to {@code file}, for
     * the report of a member that stopped answering; does nothing when it is not running.
     */
    void threadDump(int i, Path file) throws IOException, InterruptedException {
        Process p = processes[i];
        if (p == null || !p.isAlive()) {
            return;
        }
        Process jstack = new ProcessBuilder("jstack", Long.toString(p.pid())).redirectErrorStream(true)
                .redirectOutput(file.toFile()).start();
        if (!jstack.waitFor(30, TimeUnit.SECONDS)) {
            jstack.destroyForcibly();
        }
    }

    boolean alive(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    URI endpoint(int i) {
        return URI.create("http://127.0.0.1:" + s3Ports[i]);
    }

    /** Member {@code i}'s admin listener. */
    URI adminEndpoint(int i) {
        return URI.create("http://127.0.0.1:" + adminPorts[i]);
    }

    /** The log a member printed, for a failing test's message. */
    String log(int i) throws IOException {
        Path log = root.resolve(id(i) + ".log");
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log).stream()
                .filter(l -> !l.contains(" o.a.r.") && !l.startsWith("\t") && !l.startsWith("Caused by"))
                .collect(Collectors.toList());
        return lines.subList(Math.max(0, lines.size() - 60), lines.size()).stream()
                .collect(Collectors.joining("\n"));
    }

    /**
     * A client of member {@code i} that retries 503 SlowDown and connection failures for a while, as SDK
     * users' clients do by default: a group answers 503 while it elects a leader.
     */
    S3Client client(int i) {
        return S3Client.builder()
                .endpointOverride(endpoint(i))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16)
                        .socketTimeout(Duration.ofSeconds(30)).connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(30)
                                .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(300)))
                                .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(300)))
                                .build())
                        .apiCallTimeout(Duration.ofSeconds(120)))
                .build();
    }

    /**
     * A client of member {@code i} that never retries and gives up after {@code timeout}: every request
     * has exactly one outcome, as a history of the group needs.
     */
    S3Client clientWithoutRetries(int i, Duration timeout) {
        return S3Client.builder()
                .endpointOverride(endpoint(i))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(4)
                        .socketTimeout(timeout).connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(1).build())
                        .apiCallTimeout(timeout))
                .build();
    }

    /** Free ports, all taken at once so that none of them repeats, held until {@link #release}. */
    private static List<ServerSocket> holdFreePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
            }
        } catch (IOException e) {
            release(held);
            throw e;
        }
        return held;
    }

    private static void release(List<ServerSocket> held) {
        for (ServerSocket s : held) {
            try {
                s.close();
            } catch (IOException e) {
                // the port is released either way
            }
        }
    }

    private void closeProxies() {
        for (FaultProxy p : allProxies()) {
            p.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            for (int i = 0; i < slots; i++) {
                kill(i);
            }
        } finally {
            closeProxies();
        }
    }
}
