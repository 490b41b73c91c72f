package io.tessera.server.group;

import static io.tessera.server.group.Conditions.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.admin.AdminReports.Cluster;
import io.tessera.server.admin.AdminReports.Peer;
import io.tessera.server.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code tessera cluster replace} end to end, as the README tells an operator to do it: a group of three
 * takes writes, one member is killed -9 for good and the other two take more writes, a fresh process (a new
 * node id, an empty data directory, the new membership as its peers) is started, and the replace is asked of
 * a surviving member through the real command line (picocli, in-process). Then every member lists the new
 * membership, the new member serves every acknowledged object itself, bytes equal, and once another original
 * member is killed too, the group (one original member and the new one) still takes writes through both and
 * serves everything. Snapshots and log purges every few entries make the new member catch up by snapshot.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GroupReplaceTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** JVM start, a membership change and its commit on two busy cores. */
    private static final Duration SETTLE = Duration.ofSeconds(45);
    private static final String BUCKET = "replace";

    @TempDir
    Path dir;

    private final Map<Integer, S3Client> clients = new java.util.HashMap<>();

    private record Run(int code, String out, String err) {
    }

    /** {@code tessera cluster ...} against member {@code i}, with the group's admin key. */
    private static Run cluster(GroupProcesses group, int i, String... args) {
        List<String> all = new ArrayList<>(List.of("cluster"));
        all.addAll(List.of(args));
        all.addAll(List.of("--endpoint", group.adminEndpoint(i).toString(), "--access-key",
                GroupProcesses.ACCESS_KEY, "--secret-key", GroupProcesses.SECRET_KEY));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code /admin/cluster} of member {@code i}, through {@code tessera cluster status --json}. */
    private static Cluster view(GroupProcesses group, int i) throws IOException {
        Run r = cluster(group, i, "status", "--json");
        if (r.code() != 0) {
            throw new IOException("cluster status of " + GroupProcesses.id(i) + " exited " + r.code() + ": " + r.err());
        }
        return JSON.readValue(r.out(), Cluster.class);
    }

    /** Null once member {@code i} lists exactly {@code ids} as the group and knows a leader, else why not. */
    private static String lists(GroupProcesses group, int i, List<String> ids) {
        try {
            Cluster c = view(group, i);
            List<String> peers = c.peers().stream().map(Peer::id).sorted().toList();
            return peers.equals(ids) && c.leaderId() != null ? null
                    : GroupProcesses.id(i) + " lists " + peers + " with leader " + c.leaderId();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void aDeadMemberIsReplacedByAFreshOneThatCatchesUpAndKeepsTheQuorum() throws Exception {
        List<String> knobs = List.of("-Dtessera.group.snapshotEvery=16", "-Dtessera.group.logSegmentBytes=8192",
                "-Dtessera.group.purgeGap=4");
        Map<String, byte[]> acked = new LinkedHashMap<>();
        Random random = new Random(16);
        long start = System.nanoTime();
        try (GroupProcesses group = GroupProcesses.startWithSpares(dir, 3, 1, knobs)) {
            client(group, 0).createBucket(b -> b.bucket(BUCKET));
            double started = seconds(start);
            for (int k = 0; k < 6; k++) {
                put(group, k % 3, acked, "before-" + k, body(random, k));
            }

            // n3 dies for good; the two others go on taking writes
            group.kill(2);
            for (int k = 0; k < 20; k++) {
                put(group, k % 2, acked, "while-down-" + k, body(random, k));
            }

            // the operator starts n4 (new id, empty directory, the new membership) and replaces n3 by it
            double written = seconds(start);
            group.replaceInPeers(2, 3);
            group.start(3);
            Run replace = cluster(group, 1, "replace", "n3", "n4", "--new-address", group.peerAddress(3));
            assertThat(replace.code()).as(replace.err()).isZero();
            assertThat(replace.out()).contains("n3 replaced by n4=" + group.peerAddress(3));
            for (int i : List.of(0, 1, 3)) {
                await(SETTLE, () -> lists(group, i, List.of("n1", "n2", "n4")));
            }

            // the new member serves every acknowledged object itself
            assertServes(group, 3, acked);
            Cluster fresh = view(group, 3);
            assertThat(fresh.appliedIndex()).as("n4 applied the log up to the writes").isGreaterThanOrEqualTo(27);
            double replaced = seconds(start);

            // another original member stops: the one left and n4 are a majority of the new group
            int leader = Integer.parseInt(view(group, 0).leaderId().substring(1)) - 1;
            int stopped = leader == 3 ? 0 : leader;
            int survivor = stopped == 0 ? 1 : 0;
            group.kill(stopped);
            for (int k = 0; k < 6; k++) {
                put(group, k % 2 == 0 ? survivor : 3, acked, "after-" + k, body(random, k));
            }
            assertServes(group, survivor, acked);
            assertServes(group, 3, acked);
            System.out.printf("group replace: n4 caught up to index %d after %d snapshot install(s); seconds from"
                    + " the start: group up %.1f, writes done %.1f, n4 in and serving %.1f, %s stopped and all"
                    + " served %.1f%n", fresh.appliedIndex(), fresh.snapshotInstalls(), started, written, replaced,
                    GroupProcesses.id(stopped), seconds(start));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + logs(), e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private String logs() {
        StringBuilder out = new StringBuilder();
        for (String id : List.of("n1", "n2", "n3", "n4")) {
            try {
                List<String> lines = java.nio.file.Files.readAllLines(dir.resolve(id + ".log")).stream()
                        .filter(l -> !l.contains(" o.a.r.") && !l.startsWith("\t")).toList();
                out.append("---- ").append(id).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())))
                        .append('\n');
            } catch (IOException e) {
                out.append("---- ").append(id).append(": ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** Small bodies and, every fourth, one of a few hundred KiB (written to a segment, not group-committed). */
    private static byte[] body(Random random, int k) {
        byte[] b = new byte[k % 4 == 3 ? 300_000 + random.nextInt(1000) : 10 + random.nextInt(2000)];
        random.nextBytes(b);
        return b;
    }

    private void put(GroupProcesses group, int i, Map<String, byte[]> acked, String key, byte[] body) {
        client(group, i).putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
        acked.put(key, body);
    }

    private void assertServes(GroupProcesses group, int i, Map<String, byte[]> acked) {
        S3Client s3 = client(group, i);
        for (Map.Entry<String, byte[]> e : acked.entrySet()) {
            assertThat(s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(e.getKey())).asByteArray())
                    .as("%s on %s", e.getKey(), GroupProcesses.id(i)).isEqualTo(e.getValue());
        }
    }

    /** One client per member, made when first needed and closed with the test. */
    private S3Client client(GroupProcesses group, int i) {
        return clients.computeIfAbsent(i, group::client);
    }

    @AfterEach
    void closeClients() {
        clients.values().forEach(S3Client::close);
    }
}
