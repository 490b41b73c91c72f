package io.tessera.server.group;

import io.tessera.server.jepsen.CheckResult;
import io.tessera.server.jepsen.History;
import io.tessera.server.jepsen.HistoryRecorder;
import io.tessera.server.jepsen.LinearizabilityChecker;
import io.tessera.server.jepsen.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The fault campaign of a three-member group (Jepsen-style): members behind fault proxies, clients bound
 * to members doing puts, reads, deletes, completes and aborts on a handful of keys without retries, and a
 * {@link Nemesis} killing, cutting, dropping one way and delaying. At the end every fault is lifted,
 * every member runs and answers, and:
 * <ul>
 *   <li>every key whose last acknowledged write (or delete) has no other write or delete that may have
 *       taken effect after it reads back as that value, bytes compared, from every member;
 *   <li>the whole history, with those final reads, is linearizable per key ({@link LinearizabilityChecker});
 *   <li>no read saw a damaged body and no abort answered 204 left its upload listable.
 * </ul>
 *
 * <p>Not thread-safe: one test runs it; it starts and joins its own threads.
 */
final class GroupCampaign {
    /** Client ids of the final reads: above every campaign client's. */
    private static final int FINAL_READER = 1000;
    private static final Duration ANSWER_BOUND = Duration.ofMinutes(2);

    /**
     * @param load how long the clients run at least
     * @param minFaults the nemesis steps the load lasts for at least (a slow machine restarts members slowly),
     *                  within twice {@code load} more
     * @param clients client threads, bound to the members in turn
     * @param keys how many keys they share
     * @param clientTimeout the bound of each client request (then: unknown)
     * @param seed of every random choice
     */
    record Settings(Duration load, int minFaults, int clients, int keys, Duration clientTimeout, long seed) { }

    /**
     * @param figures what the campaign did and found
     * @param check the linearizability verdicts
     * @param lost one line per member and key where an acknowledged final value did not read back
     * @param line the figures in one line
     */
    record Outcome(CampaignFigures figures, CheckResult check, List<String> lost, String line) { }

    private final GroupProcesses group;
    private final Settings settings;
    private final CampaignFigures figures = new CampaignFigures();
    private final HistoryRecorder recorder = new HistoryRecorder();
    private final Map<String, Integer> lengths = new ConcurrentHashMap<>();
    private final List<String> keys = new ArrayList<>();

    private GroupCampaign(GroupProcesses group, Settings settings) {
        this.group = group;
        this.settings = settings;
        for (int k = 0; k < settings.keys(); k++) {
            keys.add("key-" + k);
        }
    }

    /** Runs a campaign on a fresh group under {@code dir}; a failure's message carries the members' logs. */
    static Outcome run(Path dir, Settings settings) throws Exception {
        try (GroupProcesses group = GroupProcesses.startBehindProxies(dir, 3)) {
            try {
                return new GroupCampaign(group, settings).run();
            } catch (Exception | AssertionError e) {
                keepLogs(dir, group);
                StringBuilder logs = new StringBuilder();
                for (int i = 0; i < group.size(); i++) {
                    logs.append("\n--- ").append(GroupProcesses.id(i)).append(" ---\n").append(group.log(i));
                }
                throw new AssertionError(e + logs.toString(), e);
            }
        }
    }

    /**
     * Copies the members' logs of a failed campaign, and their thread dumps, under target/, where the
     * temporary directory does not vanish.
     */
    private static void keepLogs(Path dir, GroupProcesses group) throws IOException, InterruptedException {
        Path kept = Path.of("target", "group-campaign-logs", Long.toString(System.currentTimeMillis()));
        Files.createDirectories(kept);
        for (int i = 0; i < group.size(); i++) {
            group.threadDump(i, kept.resolve(GroupProcesses.id(i) + ".threads"));
            Path log = dir.resolve(GroupProcesses.id(i) + ".log");
            if (Files.exists(log)) {
                Files.copy(log, kept.resolve(log.getFileName()));
            }
        }
        System.out.println("group campaign failed: members' logs and thread dumps kept in " + kept.toAbsolutePath());
    }

    private Outcome run() throws Exception {
        try (S3Client admin = group.client(0)) {
            admin.createBucket(b -> b.bucket(CampaignClient.BUCKET));
        }
        long loadEnd = System.nanoTime() + settings.load().toNanos();
        long loadLimit = loadEnd + settings.load().multipliedBy(2).toNanos();
        List<S3Client> s3 = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        Nemesis nemesis = new Nemesis(group, figures, settings.seed());
        Thread nemesisThread = new Thread(nemesis, "campaign-nemesis");
        try {
            for (int c = 0; c < settings.clients(); c++) {
                S3Client client = group.clientWithoutRetries(c % group.size(), settings.clientTimeout());
                s3.add(client);
                clients.add(new Thread(new CampaignClient(c, client, keys, recorder, figures, lengths,
                        () -> System.nanoTime() > loadEnd && nemesis.faultsDone() >= settings.minFaults()
                                || System.nanoTime() > loadLimit, settings.seed() * 31 + c), "campaign-client-" + c));
            }
            clients.forEach(Thread::start);
            nemesisThread.start();
            // each client ends at the deadline, after at most one request's bound
            long joinBound = settings.load().multipliedBy(3).plus(settings.clientTimeout()).plus(Duration.ofSeconds(30))
                    .toMillis();
            for (Thread t : clients) {
                t.join(Math.max(1, joinBound));
                if (t.isAlive()) {
                    throw new IllegalStateException(t.getName() + " did not end");
                }
            }
        } finally {
            nemesis.stop();
            nemesisThread.join(TimeUnit.MINUTES.toMillis(4)); // a restart it is in waits a minute at most
            s3.forEach(S3Client::close);
        }
        if (nemesisThread.isAlive()) {
            throw new IllegalStateException("the nemesis did not end");
        }
        if (nemesis.failure() != null) {
            throw new IllegalStateException("the nemesis failed", nemesis.failure());
        }
        System.out.println(java.time.LocalTime.now() + " campaign: load over, lifting every fault");
        restoreEverything();
        System.out.println(java.time.LocalTime.now() + " campaign: every member answers; final writes and reads");
        finalWrites();
        Map<Integer, Map<String, String>> finals = finalReads();
        History history = recorder.history();
        List<String> lost = lostAcknowledged(history, finals);
        CheckResult check = new LinearizabilityChecker().check(history);
        for (Operation op : history.operations()) {
            if (op.client() < FINAL_READER) {
                figures.operations.incrementAndGet();
                (op.outcome() == Operation.Outcome.OK ? figures.ok
                        : op.outcome() == Operation.Outcome.FAIL ? figures.failed : figures.unknown).incrementAndGet();
            }
        }
        figures.acknowledgedLost.set(lost.size());
        figures.violations.set(check.violations().size());
        figures.undecidedKeys.set(check.undecided().size());
        String line = figures.line(settings.load().toSeconds(), settings.clients());
        System.out.println(line);
        System.out.println("linearizability: " + check.report());
        lost.forEach(l -> System.out.println("lost: " + l));
        return new Outcome(figures, check, lost, line);
    }

    /** Lifts every fault, starts every dead member and waits (bounded) until each answers. */
    private void restoreEverything() throws IOException {
        for (int i = 0; i < group.size(); i++) {
            for (var p : group.proxies(i)) {
                p.heal();
            }
        }
        for (int i = 0; i < group.size(); i++) {
            if (!group.alive(i)) {
                group.start(i);
            }
        }
        for (int i = 0; i < group.size(); i++) {
            long deadline = System.nanoTime() + ANSWER_BOUND.toNanos();
            try (S3Client c = group.client(i)) {
                while (true) {
                    try {
                        c.headBucket(h -> h.bucket(CampaignClient.BUCKET));
                        break;
                    } catch (SdkException e) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException(GroupProcesses.id(i) + " did not answer within "
                                    + ANSWER_BOUND, e);
                        }
                    }
                }
            }
        }
    }

    /**
     * Once the load is over and every fault lifted, one more write of every key, one at a time, through a
     * different member each: with no other write open, each is a final value every member must hold, so
     * the check below always has keys to compare, whatever the load left undecided.
     */
    private void finalWrites() {
        int writer = settings.clients(); // a client id of its own, among the campaign's
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            String value = "final-" + writer + "-" + k;
            int length = CampaignBodies.minimum(value) + 64;
            lengths.put(value, length);
            try (S3Client c = group.client(k % group.size())) {
                HistoryRecorder.Pending op = recorder.invokeWrite(writer, key, value);
                c.putObject(p -> p.bucket(CampaignClient.BUCKET).key(key),
                        RequestBody.fromBytes(CampaignBodies.body(value, length)));
                op.ok();
            }
        }
    }

    /**
     * Reads every key from every member (a client that retries 503s: a member may still be fetching a
     * blob it missed), recording each read in the history; answers member to key to value (null: absent).
     */
    private Map<Integer, Map<String, String>> finalReads() {
        Map<Integer, Map<String, String>> out = new ConcurrentHashMap<>();
        for (int i = 0; i < group.size(); i++) {
            Map<String, String> values = new java.util.HashMap<>();
            try (S3Client c = group.client(i)) {
                for (String key : keys) {
                    HistoryRecorder.Pending op = recorder.invokeRead(FINAL_READER + i, key);
                    String value = finalRead(c, i, key);
                    op.ok(value);
                    values.put(key, value);
                }
            }
            out.put(i, values);
        }
        return out;
    }

    /**
     * The value of {@code key} on member {@code i} (null: absent), retried (bounded) while the member
     * answers 503: it may still be fetching a blob it missed.
     */
    private String finalRead(S3Client c, int i, String key) {
        long deadline = System.nanoTime() + ANSWER_BOUND.toNanos();
        while (true) {
            try {
                return CampaignClient.observed(c.getObjectAsBytes(g -> g.bucket(CampaignClient.BUCKET).key(key))
                        .asByteArray(), lengths, figures);
            } catch (NoSuchKeyException e) {
                return null;
            } catch (SdkException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(GroupProcesses.id(i) + " did not answer a read of " + key
                            + " within " + ANSWER_BOUND + " after every fault was lifted", e);
                }
            }
        }
    }

    /**
     * For every key whose final value is decided (its last acknowledged write or delete has no other
     * write or delete, acknowledged or unknown, that was still open when it began), the members whose
     * final read differs from it.
     */
    private List<String> lostAcknowledged(History history, Map<Integer, Map<String, String>> finals) {
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, List<Operation>> e : history.byKey().entrySet()) {
            List<Operation> changes = e.getValue().stream().filter(o -> o.client() < FINAL_READER)
                    .filter(o -> o.kind() != Operation.Kind.READ && o.outcome() != Operation.Outcome.FAIL).toList();
            Operation last = changes.stream().filter(o -> o.outcome() == Operation.Outcome.OK)
                    .max(Comparator.comparingLong(Operation::completedNanos)).orElse(null);
            if (last == null || changes.stream().anyMatch(o -> o != last && o.completedNanos() >= last.invokedNanos())) {
                continue;
            }
            figures.acknowledgedChecked.incrementAndGet();
            String expected = last.kind() == Operation.Kind.WRITE ? last.value() : null;
            finals.forEach((member, values) -> {
                if (!Objects.equals(values.get(e.getKey()), expected)) {
                    lost.add(GroupProcesses.id(member) + " " + e.getKey() + ": read " + values.get(e.getKey())
                            + ", acknowledged " + (expected == null ? "delete" : expected));
                }
            });
        }
        return lost;
    }
}
