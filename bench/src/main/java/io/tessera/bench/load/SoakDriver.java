package io.tessera.bench.load;

import io.tessera.bench.load.Flatness.Judgement;
import io.tessera.bench.load.NodeVitals.Sample;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The soak: starts a node on loopback, runs {@link SoakWorkload} against it for a bounded time and
 * samples the node's resident memory, heap (in use, and live after a full collection), off-heap memory
 * (all of it, and NIO direct buffers alone), resident memory outside the JVM's accounting, open file
 * descriptors, threads and data size ({@link NodeVitals}), then judges whether they stayed flat
 * ({@link Flatness}). Exit code 0 when flat and error-free, 3 when something grew, 1 when
 * a request failed or the node died.
 *
 * <p>Not thread-safe: one soak at a time per instance.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a mixed S3 workload against a local node and watch its memory and descriptors.")
public final class SoakDriver implements Callable<Integer> {
    private static final String ACCESS_KEY = "AKIATESSERASOAKTEST0";
    private static final String SECRET_KEY = "tessera/soak+secret/KEY0123456789abcdefg";
    private static final double MIB = 1 << 20;
    private static final double MAX_MINUTES = 24 * 60;

    @Option(names = "--minutes", defaultValue = "5", description = "how long the workload runs (fractions allowed,"
            + " at most a day) (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--threads", defaultValue = "4", description = "client threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--sample-seconds", defaultValue = "10",
            description = "seconds between readings of the node (default: ${DEFAULT-VALUE})")
    double sampleSeconds;

    @Option(names = "--warmup-seconds", description = "readings left out of the verdict at the start"
            + " (default: a quarter of the run, at most 60)")
    Double warmupSeconds;

    @Option(names = "--keys-per-thread", defaultValue = "100",
            description = "distinct small-object keys each thread reuses (default: ${DEFAULT-VALUE})")
    int keysPerThread;

    @Option(names = "--jar", defaultValue = "server/target/tessera.jar", description = "node jar (default: ${DEFAULT-VALUE})")
    Path jar;

    @Option(names = "--node-class-path", description = "run the node from this class path (server classes and their"
            + " dependencies) instead of --jar")
    String nodeClassPath;

    @Option(names = "--work-dir", defaultValue = "bench/target/soak",
            description = "where the node's data directory and log go (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Option(names = "--node-heap", defaultValue = "512m", description = "node -Xms/-Xmx (default: ${DEFAULT-VALUE})")
    String nodeHeap;

    @Option(names = "--node-jvm-opt", description = "extra JVM option for the node, repeatable")
    List<String> nodeJvmOpts = new ArrayList<>();

    @Option(names = "--keep-data", description = "keep the node's data directory and log")
    boolean keepData;

    /** What a soak saw. */
    record Report(List<Sample> samples, List<Judgement> verdict, long operations, long errors, List<String> errorMessages,
                  boolean nodeAlive) {
        boolean flat() {
            return verdict.stream().allMatch(Judgement::flat);
        }

        /** Full collections the node ran on its own (each reading asks for one). */
        long unrequestedFullGcs() {
            return samples.get(samples.size() - 1).fullGcs() - samples.get(0).fullGcs() - (samples.size() - 1);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SoakDriver()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Report r = soak(System.out);
        if (r.errors() > 0 || !r.nodeAlive()) {
            return 1;
        }
        return r.flat() ? 0 : 3;
    }

    /** Runs the soak, printing readings to {@code out} as they come. */
    Report soak(PrintStream out) throws Exception {
        if (!(minutes > 0 && minutes <= MAX_MINUTES) || threads < 1 || sampleSeconds <= 0 || keysPerThread < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "need 0 < --minutes <= " + MAX_MINUTES + ", --threads >= 1, --sample-seconds > 0");
        }
        long runNanos = (long) (minutes * 60e9);
        long warmup = warmupSeconds != null ? (long) (warmupSeconds * 1e9) : Math.min(60_000_000_000L, runNanos / 4);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Files.createDirectories(workDir);
        Path runDir = Files.createTempDirectory(workDir.toAbsolutePath(), "soak-" + stamp + "-");
        // Native memory tracking (a few per cent of overhead) is what sees Netty's pooled direct memory.
        List<String> opts = new ArrayList<>(List.of("-XX:NativeMemoryTracking=summary"));
        opts.addAll(nodeJvmOpts);
        NodeProcess node = nodeClassPath != null
                ? NodeProcess.startFromClassPath(nodeClassPath, runDir, nodeHeap, opts, List.of(), ACCESS_KEY, SECRET_KEY,
                        keepData)
                : NodeProcess.start(jar, runDir, nodeHeap, opts, List.of(), ACCESS_KEY, SECRET_KEY, keepData);
        // Ctrl-C or SIGTERM during the run must not leave the node behind.
        Thread stopNode = new Thread(() -> {
            if (node.isAlive()) {
                node.close();
            }
        }, "stop-node");
        Runtime.getRuntime().addShutdownHook(stopNode);
        try {
            return soak(out, node, runDir, runNanos, warmup);
        } finally {
            node.close();
            Runtime.getRuntime().removeShutdownHook(stopNode);
        }
    }

    private Report soak(PrintStream out, NodeProcess node, Path runDir, long runNanos, long warmup) throws Exception {
        try (NodeVitals vitals = NodeVitals.attach(node.pid(), node.dataDir());
             S3Client s3 = client(node, threads)) {
            out.printf(Locale.ROOT, "# soak: node pid %d at %s (%s), heap %s; %d threads for %.1f min, a reading every"
                            + " %.0f s, the first %.0f s left out of the verdict%n", node.pid(), node.endpoint(), runDir,
                    nodeHeap, threads, minutes, sampleSeconds, warmup / 1e9);
            String bucket = "soak";
            s3.createBucket(b -> b.bucket(bucket));
            SoakWorkload w = new SoakWorkload(s3, bucket, threads, keysPerThread);
            out.println("  time      ops    ops/s  errors    rss MiB  heap MiB  live MiB  off-heap MiB  nio MiB"
                    + "  not-JVM MiB   fds  threads  data MiB  full GCs  GC ms");
            List<Sample> samples = new ArrayList<>();
            Sample first = vitals.sample();
            samples.add(first);
            print(out, first, first, 0, 0, 0);
            w.start(first.nanos() + runNanos);
            long lastOps = 0;
            long lastNanos = first.nanos();
            boolean finished = false;
            while (!finished && node.isAlive()) {
                finished = w.awaitDone((long) (sampleSeconds * 1000));
                Sample s = vitals.sample();
                samples.add(s);
                long ops = w.operations();
                print(out, first, s, ops, (ops - lastOps) / ((s.nanos() - lastNanos) / 1e9), w.errorCount());
                lastOps = ops;
                lastNanos = s.nanos();
            }
            boolean alive = node.isAlive();
            out.println();
            out.printf(Locale.ROOT, "operations: %d %s; %.1f MB written, %.1f MB read and checked%n", w.operations(),
                    w.operationsByKind(), w.bytesWritten() / 1e6, w.bytesRead() / 1e6);
            if (w.errorCount() > 0) {
                out.println("ERRORS: " + w.errorCount());
                w.errors().forEach(e -> out.println("  " + e));
            }
            if (!alive) {
                out.println("THE NODE DIED: see " + runDir.resolve("node.log"));
            }
            Sample last = samples.get(samples.size() - 1);
            out.printf(Locale.ROOT, "full collections: %d, of which %d asked for by the readings; %.1f s in"
                    + " collections%n", last.fullGcs() - first.fullGcs(), samples.size() - 1,
                    (last.gcMillis() - first.gcMillis()) / 1e3);
            List<Judgement> verdict = Flatness.judge(samples, warmup);
            out.println("after the warm-up, first third -> last third (medians):");
            verdict.forEach(j -> out.println("  " + j));
            Report report = new Report(List.copyOf(samples), verdict, w.operations(), w.errorCount(), w.errors(), alive);
            out.println("verdict: " + (report.flat() ? "FLAT" : "GROWING") + (w.errorCount() > 0 ? ", with errors" : "")
                    + (alive ? "" : ", node died"));
            return report;
        }
    }

    private static void print(PrintStream out, Sample first, Sample s, long ops, double rate, long errors) {
        out.printf(Locale.ROOT, "%6.0fs %8d %8.1f %7d %10.1f %9.1f %9.1f %13.1f %8.1f %12.1f %5d %8d %9.1f %9d %6d%n",
                (s.nanos() - first.nanos()) / 1e9, ops, rate, errors, s.rss() / MIB, s.heapUsed() / MIB,
                s.heapLive() / MIB, s.offHeap() / MIB, s.nioDirect() / MIB, s.outsideJvm() / MIB, s.fds(), s.threads(),
                s.diskBytes() / MIB, s.fullGcs(), s.gcMillis());
        out.flush();
    }

    private static S3Client client(NodeProcess node, int threads) {
        return S3Client.builder()
                .endpointOverride(node.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads + 2)
                        .socketTimeout(Duration.ofSeconds(60)).connectionTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(120)))
                .build();
    }
}
