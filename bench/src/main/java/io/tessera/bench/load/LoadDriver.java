package io.tessera.bench.load;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
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
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * End-to-end load against a Tessera node with the AWS SDK for Java v2 (sync client, Apache HTTP
 * client, default checksum settings, path-style): multipart ingest at several thread counts, small
 * objects, and hot GETs of a large object. Beside throughput and latency it reports the node's own
 * CPU-seconds per GB and per request, read from the node process's accounting, because on a small
 * machine the client's CPU dominates wall-clock numbers. See {@code bench/LOAD.md}.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Drive a Tessera node with the AWS SDK v2 and report throughput, latency and node CPU.")
public final class LoadDriver implements Callable<Integer> {
    private static final String DEFAULT_ACCESS_KEY = "AKIATESSERALOADTEST0";
    private static final String DEFAULT_SECRET_KEY = "tessera/load+secret/KEY0123456789abcdefg";

    @Option(names = "--endpoint", description = "a running node (default: start one from --jar)")
    private URI endpoint;

    @Option(names = "--access-key", description = "access key (default: $TESSERA_ACCESS_KEY, else a fixed bench key)")
    private String accessKey;

    @Option(names = "--secret-key", description = "secret key (default: $TESSERA_SECRET_KEY, else a fixed bench key)")
    private String secretKey;

    @Option(names = "--node-pid", description = "PID of the --endpoint node for CPU accounting"
            + " (default: the process listening on its port, if visible)")
    private Long nodePid;

    @Option(names = "--jar", defaultValue = "server/target/tessera.jar", description = "node jar (default: ${DEFAULT-VALUE})")
    private Path jar;

    @Option(names = "--work-dir", defaultValue = "bench/target/load",
            description = "where the started node's data directory and log go; must be on the disk under test,"
                    + " not a tmpfs (default: ${DEFAULT-VALUE})")
    private Path workDir;

    @Option(names = "--node-heap", defaultValue = "1g", description = "node -Xms/-Xmx (default: ${DEFAULT-VALUE})")
    private String nodeHeap;

    @Option(names = "--node-jvm-opt", description = "extra JVM option for the started node, repeatable"
            + " (e.g. --node-jvm-opt=-XX:StartFlightRecording=duration=60s,filename=node.jfr)")
    private List<String> nodeJvmOpts = new ArrayList<>();

    @Option(names = "--keep-data", description = "keep the started node's data directory")
    private boolean keepData;

    @Option(names = "--phases", split = ",", defaultValue = "multipart,small,get,sendfile",
            description = "which phases to run: multipart, small, get, and sendfile (the machine's loopback ceiling"
                    + " for the large GET, without the node) (default: ${DEFAULT-VALUE})")
    private List<String> phases;

    @Option(names = "--threads", split = ",", defaultValue = "1,2,8",
            description = "client threads for multipart ingest (default: ${DEFAULT-VALUE})")
    private List<Integer> threads;

    @Option(names = "--part-mib", defaultValue = "8", description = "part size, MiB (default: ${DEFAULT-VALUE})")
    private int partMib;

    @Option(names = "--ingest-mib", defaultValue = "1024",
            description = "bytes uploaded per thread count, MiB (default: ${DEFAULT-VALUE})")
    private int ingestMib;

    @Option(names = "--small-threads", defaultValue = "4", description = "threads for small objects (default: ${DEFAULT-VALUE})")
    private int smallThreads;

    @Option(names = "--small-size", defaultValue = "4096", description = "small object size, bytes (default: ${DEFAULT-VALUE})")
    private int smallSize;

    @Option(names = "--small-count", defaultValue = "4000", description = "small PUTs (and GETs) per round (default: ${DEFAULT-VALUE})")
    private int smallCount;

    @Option(names = "--get-mib", defaultValue = "64", description = "size of the large object, MiB (default: ${DEFAULT-VALUE})")
    private int getMib;

    @Option(names = "--get-count", defaultValue = "40", description = "GETs of the large object per thread and round (default: ${DEFAULT-VALUE})")
    private int getCount;

    @Option(names = "--get-threads", defaultValue = "1", description = "threads for large GETs (default: ${DEFAULT-VALUE})")
    private int getThreads;

    @Option(names = "--max-seconds", defaultValue = "120",
            description = "time limit of each measured loop, seconds (default: ${DEFAULT-VALUE})")
    private long maxSeconds;

    @Option(names = "--warmup-mib", defaultValue = "1024",
            description = "unmeasured multipart ingest before the first round, MiB; small and GET phases warm up too"
                    + " (default: ${DEFAULT-VALUE})")
    private int warmupMib;

    @Option(names = "--rounds", defaultValue = "1", description = "repeat every phase; medians are reported (default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--out", description = "results file (default: <work-dir>/results-<time>.txt)")
    private Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadDriver()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String ak = firstNonNull(accessKey, System.getenv("TESSERA_ACCESS_KEY"), DEFAULT_ACCESS_KEY);
        String sk = firstNonNull(secretKey, System.getenv("TESSERA_SECRET_KEY"), DEFAULT_SECRET_KEY);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Files.createDirectories(workDir);
        Path results = out != null ? out : workDir.resolve("results-" + stamp + ".txt");
        NodeProcess node = null;
        try {
            URI uri = endpoint;
            long pid;
            if (uri == null) {
                Path runDir = Files.createTempDirectory(workDir.toAbsolutePath(), "run-" + stamp + "-");
                node = NodeProcess.start(jar, runDir, nodeHeap, nodeJvmOpts, ak, sk, keepData);
                uri = node.endpoint();
                pid = node.pid();
                System.out.println("started node pid " + pid + " at " + uri + " (" + runDir + ")");
                NodeProcess started = node;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    if (started.isAlive()) {
                        started.close();
                    }
                }, "stop-node"));
            } else {
                OptionalLong found = nodePid != null ? OptionalLong.of(nodePid) : ProcessCpu.listenerPid(uri.getPort());
                pid = found.orElse(-1);
                System.out.println("node at " + uri + (pid > 0 ? ", pid " + pid : ", pid unknown: no node CPU figures"));
            }
            String header = header(uri, pid, node != null);
            System.out.print(header);
            List<Result> all = run(uri, ak, sk, pid, endpoint != null);
            String table = ResultTable.render(all, rounds);
            System.out.println();
            System.out.print(table);
            Files.writeString(results, header + "\n" + table, StandardCharsets.UTF_8);
            System.out.println("\nresults written to " + results);
            if (node != null && !node.isAlive()) {
                System.err.println("the node died during the run");
                return 1;
            }
            return 0;
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    private List<Result> run(URI uri, String ak, String sk, long pid, boolean cleanUp) throws Exception {
        int maxThreads = Math.max(Math.max(smallThreads, getThreads), threads.stream().mapToInt(i -> i).max().orElse(1));
        List<Result> all = new ArrayList<>();
        try (S3Client s3 = client(uri, ak, sk, maxThreads)) {
            String bucket = "tessera-load-" + Long.toHexString(System.nanoTime() & 0xffffffL);
            s3.createBucket(b -> b.bucket(bucket));
            int partSize = partMib << 20;
            Workloads w = new Workloads(s3, bucket, new Meter(pid), Math.max(partSize, smallSize));
            String bigKey = "big/" + getMib + "MiB";
            try {
                if (phases.contains("get")) {
                    w.putLarge(bigKey, getMib << 20);
                }
                warmUp(w, partSize, bigKey);
                for (int round = 1; round <= rounds; round++) {
                    String tag = "r" + round;
                    if (phases.contains("multipart")) {
                        for (int t : threads) {
                            all.add(report(w.multipart(tag, t, partSize, (long) ingestMib << 20, maxSeconds)));
                        }
                    }
                    if (phases.contains("small")) {
                        for (Result r : w.smallObjects(tag, smallThreads, smallSize, smallCount, maxSeconds)) {
                            all.add(report(r));
                        }
                    }
                    if (phases.contains("get")) {
                        all.add(report(w.largeGet(bigKey, getThreads, (long) getMib << 20, getCount, maxSeconds)));
                    }
                    if (phases.contains("sendfile")) {
                        all.add(report(LoopbackCeiling.run(workDir, getMib << 20, getCount, maxSeconds)));
                    }
                }
            } finally {
                if (cleanUp) {
                    emptyAndDelete(s3, bucket);
                }
            }
        }
        return all;
    }

    /** Unmeasured: lets the node's (and the client's) JIT compile the paths the rounds take. */
    private void warmUp(Workloads w, int partSize, String bigKey) throws Exception {
        if (warmupMib <= 0) {
            return;
        }
        System.out.println("warming up...");
        if (phases.contains("multipart")) {
            w.multipart("warmup", 2, partSize, (long) warmupMib << 20, maxSeconds);
        }
        if (phases.contains("small")) {
            w.smallObjects("warmup", smallThreads, smallSize, smallCount, maxSeconds);
        }
        if (phases.contains("get")) {
            w.largeGet(bigKey, 1, (long) getMib << 20, 16, maxSeconds);
        }
    }

    private static Result report(Result r) {
        System.out.printf(Locale.ROOT, "%-26s thr=%d  %8.1f MB/s  %8.1f ops/s  p50 %.2f ms  p99 %.2f ms"
                        + "  node %.2f CPU-s/GB %.3f CPU-ms/op  (%.1f s, load %.2f)%n",
                r.phase(), r.threads(), r.megabytesPerSecond(), r.opsPerSecond(), r.p50Ms(), r.p99Ms(),
                r.nodeCpuPerGb(), r.nodeCpuMsPerOp(), r.seconds(), r.loadAverage());
        return r;
    }

    private static S3Client client(URI uri, String ak, String sk, int connections) {
        return S3Client.builder()
                .endpointOverride(uri)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ak, sk)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(connections + 2)
                        .socketTimeout(Duration.ofSeconds(120)).connectionTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static void emptyAndDelete(S3Client s3, String bucket) {
        try {
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads().forEach(u ->
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
            ListObjectsV2Response page;
            String token = null;
            do {
                String t = token;
                page = s3.listObjectsV2(b -> b.bucket(bucket).continuationToken(t));
                List<ObjectIdentifier> ids = page.contents().stream().map(S3Object::key)
                        .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                if (!ids.isEmpty()) {
                    s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
                }
                token = page.nextContinuationToken();
            } while (Boolean.TRUE.equals(page.isTruncated()));
            s3.deleteBucket(b -> b.bucket(bucket));
        } catch (RuntimeException e) {
            System.err.println("could not clean up bucket " + bucket + ": " + e);
        }
    }

    private String header(URI uri, long pid, boolean started) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Tessera load driver, ").append(LocalDateTime.now().withNano(0)).append('\n');
        sb.append("# machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cpus, load ")
                .append(Files.readString(Path.of("/proc/loadavg")).trim()).append(", java ")
                .append(System.getProperty("java.version")).append('\n');
        sb.append("# node: ").append(uri).append(pid > 0 ? " pid " + pid : " pid unknown");
        if (started) {
            sb.append(", started here with -Xms/-Xmx").append(nodeHeap).append(' ').append(String.join(" ", nodeJvmOpts));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "# multipart: %s threads, %d MiB parts, %d MiB per thread count;"
                        + " small: %d threads, %d x %d B; GET: %d MiB x %d, %d thread(s); rounds %d; limit %d s per loop%n",
                threads, partMib, ingestMib, smallThreads, smallCount, smallSize, getMib, getCount, getThreads, rounds,
                maxSeconds));
        sb.append("# SDK v2 sync + Apache client, default checksums (UploadPart/PutObject as signed aws-chunked"
                + " with a CRC32 trailer over http), path-style. MB = 10^6 B, GB = 10^9 B.\n");
        return sb.toString();
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
