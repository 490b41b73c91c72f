package io.tessera.bench.load;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The measured part of a load run: a warm-up, then round after round of the selected phases, each
 * result held against the floor measured in the same round. Per round: the hash floors
 * ({@link HashFloor}), multipart ingest per payload mode and thread count, small objects, the large
 * GET and its loopback ceiling ({@link LoopbackCeiling}), and Complete and Abort of uploads of many
 * parts ({@link ManyParts}). Not thread-safe; one run per instance.
 */
final class LoadRun {
    /** Phase names for {@code --phases}. */
    static final String FLOORS = "floors";
    static final String MULTIPART = "multipart";
    static final String SMALL = "small";
    static final String GET = "get";
    static final String SENDFILE = "sendfile";
    static final String MANYPARTS = "manyparts";
    static final List<String> PHASES = List.of(FLOORS, MULTIPART, SMALL, GET, SENDFILE, MANYPARTS);
    /** Unmeasured small PUTs (and GETs) before the first round, unless the warm-up is a token one. */
    private static final int SMALL_WARMUP = 16_000;

    /**
     * What to run and how big.
     *
     * @param ingestBytes  bytes uploaded per mode and thread count (at least one part per thread)
     * @param warmupBytes  unmeasured multipart bytes per mode before the first round
     * @param floorBytes   bytes each hash floor hashes per round
     * @param warmupRounds unmeasured rounds of every phase after the warm-up
     * @param many         the many-parts phase's sizes
     * @param manyWarmups  unmeasured repeats of the many-parts phase before the first round
     */
    record Plan(List<String> phases, List<PayloadMode> modes, List<Integer> threads, int partSize, long ingestBytes,
                int smallThreads, int smallSize, int smallCount, int getSize, int getCount, int getThreads,
                long maxSeconds, long warmupBytes, long floorBytes, int warmupRounds, int rounds, Path workDir,
                ManyParts.Plan many, int manyWarmups) {
        boolean has(String phase) {
            return phases.contains(phase);
        }
    }

    /** Where a payload mode's uploads go, and what its client put on the wire. */
    record Target(Workloads workloads, WireTokens wire) {
    }

    /** The large object as a presigned URL for {@link PlainGet}, and the meter of the node serving it. */
    record PlainTarget(URI presigned, Meter meter) {
    }

    private final Plan plan;
    private final Workloads plain;
    private final Map<PayloadMode, Target> targets;
    private final PlainTarget plainGet;
    private final ManyParts many;
    private final HashFloor floor;
    private final PrintStream out;

    /**
     * @param plain   SDK defaults over http: small objects and the large GET
     * @param targets  one per mode of the plan
     * @param plainGet the large object for the plain reader (null without the GET phase)
     * @param many     the many-parts phase's client (SDK defaults over http)
     * @param part     the bytes of one part, as the multipart phases send them
     */
    LoadRun(Plan plan, Workloads plain, Map<PayloadMode, Target> targets, PlainTarget plainGet, ManyParts many,
            byte[] part, PrintStream out) {
        this.plan = plan;
        this.plain = plain;
        this.targets = targets;
        this.plainGet = plainGet;
        this.many = many;
        this.floor = new HashFloor(part);
        this.out = out;
    }

    /** Each round's results, floors applied. */
    List<List<Result>> run(String bigKey) throws Exception {
        warmUp(bigKey);
        for (int round = 1; round <= plan.warmupRounds(); round++) {
            out.println("warm-up round " + round + " (not reported)");
            round("w" + round, bigKey);
        }
        List<List<Result>> rounds = new ArrayList<>();
        for (int round = 1; round <= plan.rounds(); round++) {
            rounds.add(round("r" + round, bigKey));
        }
        return rounds;
    }

    /** Unmeasured: lets the node's (and the client's) JIT compile the paths the rounds take. */
    private void warmUp(String bigKey) throws Exception {
        if (plan.has(FLOORS)) {
            floor.warmUp();
        }
        if (plan.has(MANYPARTS) && plan.manyWarmups() > 0) {
            out.println("warming up many parts (" + plan.manyWarmups() + " x " + plan.many().parts() + " parts)...");
            ManyParts.Plan p = plan.many();
            many.run("warmup", new ManyParts.Plan(p.parts(), p.partBytes(), p.threads(), plan.manyWarmups(),
                    p.maxSeconds()));
        }
        if (plan.warmupBytes() <= 0) {
            return;
        }
        out.println("warming up...");
        if (plan.has(MULTIPART)) {
            for (PayloadMode mode : plan.modes()) {
                Target t = targets.get(mode);
                t.workloads().multipart("warmup", mode, 2, plan.partSize(), plan.warmupBytes(), plan.maxSeconds());
                checkWire(mode, t.wire());
            }
        }
        if (plan.has(SMALL)) {
            // The small-request paths are many and short: C2 keeps compiling them for some 10 000 requests, and
            // the node's compiler threads count in its CPU per request.
            int warmupCount = plan.warmupBytes() >= 64L << 20 ? Math.max(plan.smallCount(), SMALL_WARMUP) : plan.smallCount();
            plain.smallObjects("warmup", plan.smallThreads(), plan.smallSize(), warmupCount, plan.maxSeconds());
        }
        if (plan.has(GET)) {
            plain.largeGet(bigKey, 1, plan.getSize(), Math.min(16, plan.getCount()), plan.maxSeconds());
        }
    }

    private List<Result> round(String tag, String bigKey) throws Exception {
        List<Result> results = new ArrayList<>();
        double signedFloor = Double.NaN;
        double trailerFloor = Double.NaN;
        if (plan.has(FLOORS)) {
            Result s = report(floor.measure(HashFloor.Kind.MD5_SHA256, plan.floorBytes()));
            Result u = report(floor.measure(HashFloor.Kind.MD5_CRC32, plan.floorBytes()));
            signedFloor = s.floor().value();
            trailerFloor = u.floor().value();
            results.add(s);
            results.add(u);
        }
        if (plan.has(MULTIPART)) {
            for (PayloadMode mode : plan.modes()) {
                Target t = targets.get(mode);
                double f = mode.floor() == HashFloor.Kind.MD5_SHA256 ? signedFloor : trailerFloor;
                for (int threads : plan.threads()) {
                    Result r = t.workloads().multipart(tag, mode, threads, plan.partSize(), plan.ingestBytes(),
                            plan.maxSeconds());
                    checkWire(mode, t.wire());
                    results.add(report(r.againstCpuFloor(f)));
                }
            }
        }
        if (plan.has(SMALL)) {
            for (Result r : plain.smallObjects(tag, plan.smallThreads(), plan.smallSize(), plan.smallCount(),
                    plan.maxSeconds())) {
                results.add(report(r));
            }
        }
        List<Result> gets = new ArrayList<>();
        if (plan.has(GET)) {
            gets.add(plain.largeGet(bigKey, plan.getThreads(), plan.getSize(), plan.getCount(), plan.maxSeconds()));
            gets.add(PlainGet.run(plainGet.presigned(), plainGet.meter(), plan.getSize(), plan.getCount(),
                    plan.maxSeconds()));
        }
        Result ceiling = null;
        if (plan.has(SENDFILE)) {
            ceiling = LoopbackCeiling.run(plan.workDir(), plan.getSize(), plan.getCount(), plan.maxSeconds());
        }
        for (Result get : gets) {
            results.add(report(get.againstCeiling(ceiling != null ? ceiling.megabytesPerSecond() : Double.NaN)));
        }
        if (ceiling != null) {
            results.add(report(ceiling));
        }
        if (plan.has(MANYPARTS)) {
            for (Result r : many.run(tag, plan.many())) {
                results.add(report(r));
            }
        }
        return results;
    }

    /** Every UploadPart of the mode so far carried the mode's {@code x-amz-content-sha256}, or the run stops. */
    private static void checkWire(PayloadMode mode, WireTokens wire) {
        Map<String, Long> seen = wire.seen();
        if (!seen.isEmpty() && !seen.keySet().equals(Set.of(mode.contentSha256()))) {
            throw new IllegalStateException("payload mode " + mode.label() + " should send x-amz-content-sha256 "
                    + mode.contentSha256() + " but the SDK sent " + seen);
        }
    }

    private Result report(Result r) {
        if (r.phase().startsWith(ManyParts.PREFIX)) {
            out.printf(Locale.ROOT, "%-40s thr=%-2d %6d ops %8.1f ops/s  p50 %.2f ms  max %.2f ms  node %.3f CPU-ms/op%s"
                            + "  (load %.2f)%n", r.phase(), r.threads(), r.ops(), r.opsPerSecond(), r.p50Ms(), r.maxMs(),
                    r.nodeCpuMsPerOp(), r.errors() > 0 ? "  ERRORS " + r.errors() : "", r.loadAverage());
            return r;
        }
        if (r.mode() == null && Double.isNaN(r.nodeCpu()) && !Double.isNaN(r.floor().value())) {
            out.printf(Locale.ROOT, "%-24s %.2f CPU-s/GB on one thread (%.0f MB/s)%n", r.phase(), r.floor().value(),
                    r.megabytesPerSecond());
            return r;
        }
        out.printf(Locale.ROOT, "%-24s thr=%-2d %8.1f MB/s %8.1f ops/s  p50 %.2f ms  p99 %.2f ms%s%s%s  (%.1f s,"
                        + " load %.2f)%n", r.phase(), r.threads(), r.megabytesPerSecond(), r.opsPerSecond(), r.p50Ms(),
                r.p99Ms(), Double.isNaN(r.nodeCpu()) ? "" : String.format(Locale.ROOT,
                        "  node %.2f CPU-s/GB %.3f CPU-ms/op", r.nodeCpuPerGb(), r.nodeCpuMsPerOp()),
                Double.isNaN(r.floor().ratio()) ? "" : String.format(Locale.ROOT, "  %.2fx floor", r.floor().ratio()),
                r.errors() > 0 ? "  ERRORS " + r.errors() : "", r.seconds(), r.loadAverage());
        return r;
    }
}
