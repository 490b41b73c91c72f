package io.tessera.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * End-to-end load against a Tessera node with the AWS SDK for Java v2 (sync client, Apache HTTP
 * client, default checksums, path-style): multipart ingest per payload mode ({@code signed},
 * {@code unsigned}, {@code tls}) and thread count, small objects, and hot GETs of a large object.
 * Beside throughput and latency it reports the node's own CPU-seconds per GB and per request, read
 * from the node process's accounting (on a small machine the client's CPU dominates wall-clock
 * numbers), and holds them against floors measured in the same round: the hashes ingest cannot avoid,
 * and the raw loopback sendfile for the large GET. See {@code bench/LOAD.md}.
 *
 * <p>It starts its own node (two for the {@code tls} mode: the second serves HTTPS with a certificate
 * made here) unless given {@code --endpoint}. Not thread-safe: one run per instance.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Drive a Tessera node with the AWS SDK v2 and report throughput, latency, node CPU and the"
                + " ratio to floors measured in the same run.")
public final class LoadDriver implements Callable<Integer> {
    private static final String DEFAULT_ACCESS_KEY = "AKIATESSERALOADTEST0";
    private static final String DEFAULT_SECRET_KEY = "tessera/load+secret/KEY0123456789abcdefg";

    @Option(names = "--endpoint", description = "a running node over http (default: start one from --jar)")
    URI endpoint;

    @Option(names = "--tls-endpoint", description = "with --endpoint: a running node over https for the tls mode"
            + " (without it the tls mode is skipped)")
    URI tlsEndpoint;

    @Option(names = "--tls-ca", description = "PEM certificate the client trusts for --tls-endpoint"
            + " (default: the JDK's trust store)")
    Path tlsCa;

    @Option(names = "--access-key", description = "access key (default: $TESSERA_ACCESS_KEY, else a fixed bench key)")
    String accessKey;

    @Option(names = "--secret-key", description = "secret key (default: $TESSERA_SECRET_KEY, else a fixed bench key)")
    String secretKey;

    @Option(names = "--node-pid", description = "PID of the --endpoint node for CPU accounting"
            + " (default: the process listening on its port, if visible)")
    Long nodePid;

    @Option(names = "--tls-node-pid", description = "PID of the --tls-endpoint node (default: as for --node-pid)")
    Long tlsNodePid;

    @Option(names = "--jar", defaultValue = "server/target/tessera.jar", description = "node jar (default: ${DEFAULT-VALUE})")
    Path jar;

    @Option(names = "--node-class-path", description = "start the node from this class path (server classes and their"
            + " dependencies) instead of --jar")
    String nodeClassPath;

    @Option(names = "--work-dir", defaultValue = "bench/target/load",
            description = "where the started nodes' data directories and logs go; must be on the disk under test,"
                    + " not a tmpfs (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Option(names = "--node-heap", defaultValue = "1g", description = "node -Xms/-Xmx (default: ${DEFAULT-VALUE})")
    String nodeHeap;

    @Option(names = "--node-jvm-opt", description = "extra JVM option for the started nodes, repeatable"
            + " (e.g. --node-jvm-opt=-XX:StartFlightRecording=duration=60s,filename=node.jfr)")
    List<String> nodeJvmOpts = new ArrayList<>();

    @Option(names = "--keep-data", description = "keep the started nodes' data directories")
    boolean keepData;

    @Option(names = "--phases", split = ",", defaultValue = "floors,multipart,small,get,sendfile",
            description = "which phases to run: floors (MD5+SHA-256 and MD5+CRC32 on one client thread), multipart,"
                    + " small, get, sendfile (the machine's loopback ceiling for the large GET, without the node), and"
                    + " manyparts (Complete, Abort and ListParts of uploads of --many-parts parts; not in the default)"
                    + " (default: ${DEFAULT-VALUE})")
    List<String> phases;

    @Option(names = "--modes", split = ",", defaultValue = "signed,unsigned,tls",
            description = "payload modes of multipart ingest: signed (SDK defaults over http,"
                    + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER), unsigned (STREAMING-UNSIGNED-PAYLOAD-TRAILER over"
                    + " http), tls (the same over HTTPS) (default: ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--threads", split = ",", defaultValue = "1,2,8,64",
            description = "client threads for multipart ingest (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--part-mib", defaultValue = "8", description = "part size, MiB (default: ${DEFAULT-VALUE})")
    int partMib;

    @Option(names = "--ingest-mib", defaultValue = "1024",
            description = "bytes uploaded per mode and thread count, MiB; at least one part per thread"
                    + " (default: ${DEFAULT-VALUE})")
    int ingestMib;

    @Option(names = "--small-threads", defaultValue = "8", description = "threads for small objects (default: ${DEFAULT-VALUE})")
    int smallThreads;

    @Option(names = "--small-size", defaultValue = "4096", description = "small object size, bytes (default: ${DEFAULT-VALUE})")
    int smallSize;

    @Option(names = "--small-count", defaultValue = "4000", description = "small PUTs (and GETs) per round (default: ${DEFAULT-VALUE})")
    int smallCount;

    @Option(names = "--get-mib", defaultValue = "64", description = "size of the large object, MiB (default: ${DEFAULT-VALUE})")
    int getMib;

    @Option(names = "--get-count", defaultValue = "40", description = "GETs of the large object per thread and round (default: ${DEFAULT-VALUE})")
    int getCount;

    @Option(names = "--get-threads", defaultValue = "1", description = "threads for large GETs (default: ${DEFAULT-VALUE})")
    int getThreads;

    @Option(names = "--floor-mib", defaultValue = "256", description = "bytes each hash floor hashes per round, MiB"
            + " (default: ${DEFAULT-VALUE})")
    int floorMib;

    @Option(names = "--many-parts", defaultValue = "10000",
            description = "manyparts phase: parts per upload, at most 10000 (default: ${DEFAULT-VALUE})")
    int manyParts;

    @Option(names = "--many-part-bytes", defaultValue = "16",
            description = "manyparts phase: bytes per part; the node must allow parts this small"
                    + " (-Dtessera.minPartSize, set on nodes the driver starts) (default: ${DEFAULT-VALUE})")
    int manyPartBytes;

    @Option(names = "--many-threads", defaultValue = "8",
            description = "manyparts phase: client threads sending the parts (default: ${DEFAULT-VALUE})")
    int manyThreads;

    @Option(names = "--many-repeats", defaultValue = "3",
            description = "manyparts phase: measured repeats per round, each one ListParts, Complete and Abort"
                    + " (default: ${DEFAULT-VALUE})")
    int manyRepeats;

    @Option(names = "--many-warmups", defaultValue = "1",
            description = "manyparts phase: unmeasured repeats before the first round (default: ${DEFAULT-VALUE})")
    int manyWarmups;

    @Option(names = "--max-seconds", defaultValue = "120",
            description = "time limit of each measured loop, seconds (default: ${DEFAULT-VALUE})")
    long maxSeconds;

    @Option(names = "--warmup-mib", defaultValue = "512",
            description = "unmeasured multipart ingest per mode before the first round, MiB; small and GET phases"
                    + " warm up too (default: ${DEFAULT-VALUE})")
    int warmupMib;

    @Option(names = "--rounds", defaultValue = "1", description = "repeat every phase; medians are reported (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1",
            description = "unmeasured rounds of every phase after the warm-up, before the first measured one: the"
                    + " node's JIT keeps compiling for about one round (default: ${DEFAULT-VALUE})")
    int warmupRounds;

    @Option(names = "--out", description = "results file (default: <work-dir>/results-<time>.txt)")
    Path out;

    /** What a run produced: each round's results, the rendered table and header, and failures seen. */
    record Report(List<List<Result>> rounds, String header, String table, List<String> errorSamples,
                  boolean nodesAlive) {
        long errors() {
            return rounds.stream().flatMap(List::stream).mapToLong(Result::errors).sum();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadDriver()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Report r = load(System.out);
        return r.nodesAlive() && r.errors() == 0 ? 0 : 1;
    }

    /** Runs the load, printing progress and then the table to {@code console}. */
    Report load(PrintStream console) throws Exception {
        List<PayloadMode> modeList;
        try {
            modeList = modes.stream().map(PayloadMode::parse).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "unknown mode in " + modes
                    + " (known: signed, unsigned, tls)");
        }
        List<String> unknown = phases.stream().filter(p -> !LoadRun.PHASES.contains(p)).toList();
        if (!unknown.isEmpty() || rounds < 1 || warmupRounds < 0 || partMib < 1 || threads.stream().anyMatch(t -> t < 1)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "unknown phases " + unknown
                    + " (known: " + LoadRun.PHASES + "), or --rounds, --part-mib or --threads below 1");
        }
        ManyParts.Plan manyPlan = manyPlan();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Files.createDirectories(workDir);
        Path results = out != null ? out : workDir.resolve("results-" + stamp + ".txt");
        boolean multipart = phases.contains(LoadRun.MULTIPART);
        List<NodeProcess> started = new ArrayList<>();
        Thread stopNodes = new Thread(() -> started.stream().filter(NodeProcess::isAlive).forEach(NodeProcess::close),
                "stop-nodes");
        Runtime.getRuntime().addShutdownHook(stopNodes);
        try {
            Endpoint http;
            Endpoint tls = null;
            if (endpoint == null) {
                Path runDir = Files.createTempDirectory(workDir.toAbsolutePath(), "run-" + stamp + "-");
                http = startNode(runDir.resolve("http"), List.of(), null, started);
                if (multipart && modeList.contains(PayloadMode.TLS)) {
                    Path tlsDir = Files.createDirectories(runDir.resolve("tls"));
                    SelfSignedCertificate cert = SelfSignedCertificate.create(tlsDir);
                    tls = startNode(tlsDir, List.of("--tls-cert", cert.certificateFile().toString(), "--tls-key",
                            cert.keyFile().toString()), cert.certificateFile(), started);
                }
            } else {
                http = attach(endpoint, nodePid, null);
                if (tlsEndpoint != null) {
                    tls = attach(tlsEndpoint, tlsNodePid, tlsCa);
                }
            }
            if (tls == null && modeList.contains(PayloadMode.TLS)) {
                if (multipart) {
                    console.println("no https node (--tls-endpoint): the tls mode is skipped");
                }
                modeList = modeList.stream().filter(m -> m != PayloadMode.TLS).toList();
            }
            for (NodeProcess n : started) {
                console.println("started node pid " + n.pid() + " at " + n.endpoint() + " (" + n.dataDir().getParent()
                        + ")");
            }
            Report report = run(console, http, tls, modeList, manyPlan, started);
            boolean alive = started.stream().allMatch(NodeProcess::isAlive);
            if (!alive) {
                console.println("A NODE DIED during the run: see node.log beside its data directory");
            }
            Files.writeString(results, report.header() + "\n" + report.table(), StandardCharsets.UTF_8);
            console.println("\nresults written to " + results);
            return new Report(report.rounds(), report.header(), report.table(), report.errorSamples(), alive);
        } finally {
            started.forEach(NodeProcess::close);
            Runtime.getRuntime().removeShutdownHook(stopNodes);
        }
    }

    /** The manyparts phase's sizes, or a usage error. */
    ManyParts.Plan manyPlan() {
        if (manyWarmups < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--many-warmups below 0");
        }
        try {
            return new ManyParts.Plan(manyParts, manyPartBytes, manyThreads, manyRepeats, maxSeconds);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--many-parts is from 1 to 10000;"
                    + " --many-part-bytes, --many-threads, --many-repeats and --max-seconds at least 1");
        }
    }

    /** A node to drive: where it listens, its PID (-1 if unknown) and the certificate to trust (https). */
    private record Endpoint(URI uri, long pid, Path trusted) {
    }

    private Endpoint startNode(Path runDir, List<String> serveArgs, Path trusted, List<NodeProcess> started)
            throws IOException {
        Files.createDirectories(runDir);
        NodeProcess n = nodeClassPath != null
                ? NodeProcess.startFromClassPath(nodeClassPath, runDir, nodeHeap, startedNodeJvmOpts(), serveArgs,
                        accessKey(), secretKey(), keepData)
                : NodeProcess.start(jar, runDir, nodeHeap, startedNodeJvmOpts(), serveArgs, accessKey(), secretKey(),
                        keepData);
        started.add(n);
        return new Endpoint(n.endpoint(), n.pid(), trusted);
    }

    /** --node-jvm-opt, and for the manyparts phase the test knob that lets the node take parts that small. */
    private List<String> startedNodeJvmOpts() {
        List<String> opts = new ArrayList<>(nodeJvmOpts);
        if (phases.contains(LoadRun.MANYPARTS)) {
            opts.add("-Dtessera.minPartSize=" + manyPartBytes);
        }
        return opts;
    }

    private static Endpoint attach(URI uri, Long pid, Path trusted) {
        OptionalLong found = pid != null ? OptionalLong.of(pid) : ProcessCpu.listenerPid(uri.getPort());
        return new Endpoint(uri, found.orElse(-1), trusted);
    }

    private String accessKey() {
        return firstNonNull(accessKey, System.getenv("TESSERA_ACCESS_KEY"), DEFAULT_ACCESS_KEY);
    }

    private String secretKey() {
        return firstNonNull(secretKey, System.getenv("TESSERA_SECRET_KEY"), DEFAULT_SECRET_KEY);
    }

    private Report run(PrintStream console, Endpoint http, Endpoint tls, List<PayloadMode> modeList,
                       ManyParts.Plan manyPlan, List<NodeProcess> started) throws Exception {
        String ak = accessKey();
        String sk = secretKey();
        int partSize = partMib << 20;
        int maxThreads = Stream.concat(threads.stream(), Stream.of(smallThreads, getThreads, manyThreads, 2))
                .mapToInt(Integer::intValue).max().orElse(1);
        byte[] random = new byte[Math.max(partSize, Math.max(smallSize, manyPartBytes))];
        new Random(42).nextBytes(random);
        String bucket = "tessera-load-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        List<S3Client> clients = new ArrayList<>();
        List<S3Client> bucketOwners = new ArrayList<>();
        Map<PayloadMode, LoadRun.Target> targets = new EnumMap<>(PayloadMode.class);
        List<Workloads> all = new ArrayList<>();
        try {
            S3Client plainClient = S3Clients.create(http.uri(), ak, sk, maxThreads, PayloadMode.SIGNED, null, null);
            clients.add(plainClient);
            plainClient.createBucket(b -> b.bucket(bucket));
            bucketOwners.add(plainClient);
            Workloads plain = new Workloads(plainClient, bucket, new Meter(http.pid()), random);
            all.add(plain);
            ManyParts many = new ManyParts(plainClient, bucket, new Meter(http.pid()), random);
            for (PayloadMode mode : modeList) {
                Endpoint e = mode.https() ? tls : http;
                WireTokens wire = new WireTokens();
                S3Client c = S3Clients.create(e.uri(), ak, sk, maxThreads, mode, e.trusted(), wire);
                clients.add(c);
                if (mode.https()) {
                    c.createBucket(b -> b.bucket(bucket));
                    bucketOwners.add(c);
                }
                Workloads w = new Workloads(c, bucket, new Meter(e.pid()), random);
                all.add(w);
                targets.put(mode, new LoadRun.Target(w, wire));
            }
            LoadRun.Plan plan = new LoadRun.Plan(phases, modeList, threads, partSize, (long) ingestMib << 20,
                    smallThreads, smallSize, smallCount, getMib << 20, getCount, getThreads, maxSeconds,
                    (long) warmupMib << 20, (long) floorMib << 20, warmupRounds, rounds, workDir, manyPlan, manyWarmups);
            String header = header(http, tls, modeList, manyPlan);
            console.print(header);
            String bigKey = "big/" + getMib + "MiB";
            if (plan.has(LoadRun.GET)) {
                plain.putLarge(bigKey, getMib << 20);
            }
            LoadRun.PlainTarget plainGet = plan.has(LoadRun.GET)
                    ? new LoadRun.PlainTarget(S3Clients.presignGet(http.uri(), ak, sk, bucket, bigKey), new Meter(http.pid()))
                    : null;
            LoadRun run = new LoadRun(plan, plain, targets, plainGet, many, Arrays.copyOf(random, partSize),
                    console);
            List<List<Result>> results = run.run(bigKey);
            StringBuilder after = new StringBuilder("# on the wire (x-amz-content-sha256 of UploadParts):");
            targets.forEach((m, t) -> after.append(' ').append(m.label()).append(' ').append(t.wire().seen()));
            after.append('\n');
            started.forEach(n -> n.printed("TLS by ").ifPresent(l -> after.append("# https node: ").append(l)
                    .append('\n')));
            header += after;
            String table = ResultTable.render(results);
            console.println();
            console.print(after);
            console.print(table);
            List<String> errors = Stream.concat(all.stream().flatMap(w -> w.errorSamples().stream()),
                    many.errorSamples().stream()).toList();
            if (!errors.isEmpty()) {
                console.println("FAILED REQUESTS (first few):");
                errors.forEach(e -> console.println("  " + e));
            }
            return new Report(results, header, table, errors, true);
        } finally {
            if (endpoint != null) {
                bucketOwners.forEach(c -> emptyAndDelete(c, bucket));
            }
            clients.forEach(S3Client::close);
        }
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

    private String header(Endpoint http, Endpoint tls, List<PayloadMode> modeList, ManyParts.Plan many)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Tessera load driver, ").append(LocalDateTime.now().withNano(0)).append('\n');
        sb.append("# machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cpus, load ")
                .append(Files.readString(Path.of("/proc/loadavg")).trim()).append(", java ")
                .append(System.getProperty("java.version")).append('\n');
        for (Endpoint e : tls == null ? List.of(http) : List.of(http, tls)) {
            sb.append("# node: ").append(e.uri()).append(e.pid() > 0 ? " pid " + e.pid() : " pid unknown: no node CPU");
            if (endpoint == null) {
                sb.append(", started here with -Xms/-Xmx").append(nodeHeap);
                startedNodeJvmOpts().forEach(o -> sb.append(' ').append(o));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "# phases %s; multipart: modes %s, %s threads, %d MiB parts, %d MiB per"
                        + " mode and thread count; small: %d threads, %d x %d B; GET: %d MiB x %d, %d thread(s);"
                        + " floors: %d MiB; warm-up rounds %d, rounds %d; limit %d s per loop%n",
                String.join(",", new LinkedHashSet<>(phases)), modeList.stream().map(PayloadMode::label).toList(),
                threads, partMib, ingestMib, smallThreads, smallCount, smallSize, getMib, getCount, getThreads,
                floorMib, warmupRounds, rounds, maxSeconds));
        if (phases.contains(LoadRun.MANYPARTS)) {
            sb.append(String.format(Locale.ROOT, "# many parts: %d parts of %d B per upload over %d threads, %d repeats"
                            + " per round after %d unmeasured; Complete, Abort and ListParts timed one request at a"
                            + " time%n", many.parts(), many.partBytes(), many.threads(), many.repeats(), manyWarmups));
        }
        sb.append("# SDK v2 sync + Apache client, path-style, CRC32 trailer (SDK default). Small objects and the"
                + " large GET: SDK defaults over http.\n");
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
