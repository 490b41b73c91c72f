package io.tessera.server.group;

import static io.tessera.server.group.Conditions.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.admin.AdminReports.Cluster;
import io.tessera.server.admin.AdminReports.FollowerLag;
import io.tessera.server.auth.SigV4Signer;
import io.tessera.server.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Operating a group of three {@code tessera serve} processes through their admin listeners: every node's
 * {@code /admin/cluster} names one leader in one term, {@code tessera cluster status} (run in-process
 * through picocli) prints each node's row, readiness is true with a majority, the group's metrics say who
 * leads and how far each follower lags, a replace of a member the group does not have is refused, and
 * once both followers are killed (SIGKILL) the lone leader loses its leadership and turns not ready within
 * a bound, while the status table marks the dead nodes unreachable.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GroupOperationsTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** JVM starts, an election and the first entries: generous on two busy cores. */
    private static final Duration SETTLE = Duration.ofSeconds(45);
    /** A leader without a majority steps down after about an election timeout (1 s here). */
    private static final Duration STEP_DOWN = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Exit code, standard output and standard error of one command. */
    private record Run(int code, String out, String err) {
    }

    private static Run tessera(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code tessera cluster ...} against these members, with the group's admin key. */
    private static Run cluster(GroupProcesses group, List<Integer> members, String... args) {
        List<String> all = new ArrayList<>(List.of("cluster"));
        all.addAll(List.of(args));
        for (int i : members) {
            all.addAll(List.of("--endpoint", group.adminEndpoint(i).toString()));
        }
        all.addAll(List.of("--access-key", GroupProcesses.ACCESS_KEY, "--secret-key", GroupProcesses.SECRET_KEY));
        return tessera(all);
    }

    /** {@code /admin/cluster} of member {@code i}, through {@code tessera cluster status --json}. */
    private static Cluster view(GroupProcesses group, int i) throws IOException {
        Run r = cluster(group, List.of(i), "status", "--json");
        if (r.code() != 0) {
            throw new AssertionError("cluster status of " + GroupProcesses.id(i) + " exited " + r.code() + ": "
                    + r.err());
        }
        return JSON.readValue(r.out(), Cluster.class);
    }

    private HttpResponse<String> get(GroupProcesses group, int i, String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(group.adminEndpoint(i).resolve(path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@code /metrics} of member {@code i}: series (name and labels as printed) to values. */
    private Map<String, Double> metrics(GroupProcesses group, int i) throws IOException {
        HttpResponse<String> r = get(group, i, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }

    /** {@code /console/api/cluster} of member {@code i}, signed in to its console with the admin key. */
    private Cluster consoleView(GroupProcesses group, int i) throws IOException, InterruptedException {
        URI admin = group.adminEndpoint(i);
        String host = admin.getHost() + ":" + admin.getPort();
        HttpRequest.Builder login = HttpRequest.newBuilder(admin.resolve("/console/api/login"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody());
        new SigV4Signer(GroupProcesses.ACCESS_KEY, GroupProcesses.SECRET_KEY, "us-east-1")
                .sign("POST", "/console/api/login", "", host, Instant.now()).forEach(login::header);
        HttpResponse<String> in = http.send(login.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        String cookie = in.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.resolve("/console/api/cluster"))
                .timeout(Duration.ofSeconds(10)).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readValue(r.body(), Cluster.class);
    }

    /** Null once every member is ready and all name one leader in one term, else what is missing. */
    private String settled(GroupProcesses group) {
        try {
            List<Cluster> views = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> ready = get(group, i, "/health/ready");
                if (ready.statusCode() != 200) {
                    return GroupProcesses.id(i) + " not ready: " + ready.body();
                }
                views.add(view(group, i));
            }
            long leaders = views.stream().filter(c -> c.role().equals("LEADER")).count();
            if (leaders != 1 || views.stream().map(Cluster::leaderId).distinct().count() != 1
                    || views.stream().map(Cluster::term).distinct().count() != 1) {
                return "no single leader in one term yet: " + views;
            }
            return null;
        } catch (IOException | AssertionError e) {
            return e.toString();
        }
    }

    @Test
    void statusReadinessAndMetricsOfAGroupAndOfItsLoneSurvivor() throws Exception {
        try (GroupProcesses group = GroupProcesses.start(dir, 3)) {
            await(SETTLE, () -> settled(group));
            try (S3Client s3 = group.client(1)) {
                s3.createBucket(b -> b.bucket("ops"));
                for (int k = 0; k < 5; k++) {
                    String key = "k" + k;
                    s3.putObject(p -> p.bucket("ops").key(key), RequestBody.fromString("value " + key));
                }
            }

            // /admin/cluster on each: one leader, the same term, the same members, the writes committed
            List<Cluster> views = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                views.add(view(group, i));
            }
            Cluster leader = views.stream().filter(c -> c.role().equals("LEADER")).findFirst().orElseThrow();
            int leaderIndex = Integer.parseInt(leader.nodeId().substring(1)) - 1;
            for (int i = 0; i < 3; i++) {
                Cluster c = views.get(i);
                assertThat(c.nodeId()).isEqualTo(GroupProcesses.id(i));
                assertThat(c.role()).isEqualTo(i == leaderIndex ? "LEADER" : "FOLLOWER");
                assertThat(c.leaderId()).isEqualTo(leader.nodeId());
                assertThat(c.term()).isEqualTo(leader.term());
                assertThat(c.failed()).isFalse();
                assertThat(c.peers()).extracting(p -> p.id()).containsExactlyInAnyOrder("n1", "n2", "n3");
                assertThat(c.commitIndex()).as("the bucket and five objects were committed").isGreaterThanOrEqualTo(6);
                assertThat(c.followers()).as("followers are listed on the leader only")
                        .hasSize(i == leaderIndex ? 2 : 0);
            }
            assertThat(leader.followers()).extracting(FollowerLag::id)
                    .containsExactlyInAnyOrderElementsOf(List.of("n1", "n2", "n3").stream()
                            .filter(id -> !id.equals(leader.nodeId())).toList());

            // tessera cluster status: the detailed view of one node, and the table of all three
            Run one = cluster(group, List.of(leaderIndex), "status");
            assertThat(one.code()).as(one.err()).isZero();
            assertThat(one.out()).contains("Group as " + leader.nodeId() + " sees it")
                    .contains("role        LEADER in term " + leader.term())
                    .contains("leader      " + leader.nodeId()).contains("FOLLOWER  MATCH  LAG");
            Run table = cluster(group, List.of(0, 1, 2), "status");
            assertThat(table.code()).as(table.err()).isZero();
            String[] lines = table.out().split("\n");
            assertThat(lines).hasSize(4);
            assertThat(lines[0]).startsWith("NODE").contains("ROLE", "LEADER", "TERM", "COMMIT", "APPLIED", "LAG",
                    "LAST SNAPSHOT", "ENDPOINT");
            for (int i = 0; i < 3; i++) {
                String[] cells = lines[i + 1].trim().split("\\s+");
                assertThat(cells[0]).isEqualTo(GroupProcesses.id(i));
                assertThat(cells[1]).isEqualTo(i == leaderIndex ? "LEADER" : "FOLLOWER");
                assertThat(cells[2]).isEqualTo(leader.nodeId());
                assertThat(cells[3]).isEqualTo(Long.toString(leader.term()));
                assertThat(Long.parseLong(cells[4])).isGreaterThanOrEqualTo(6);
                assertThat(cells[6]).as("lag is a number for every node").matches("\\d+");
                assertThat(cells[8]).isEqualTo(group.adminEndpoint(i).toString());
            }

            // metrics: exactly one leader, one term, a lag per follower on the leader
            double leaders = 0;
            for (int i = 0; i < 3; i++) {
                Map<String, Double> m = metrics(group, i);
                leaders += m.get("tessera_group_leader");
                assertThat(m.get("tessera_group_leader")).isEqualTo(i == leaderIndex ? 1.0 : 0.0);
                assertThat(m.get("tessera_group_has_leader")).isEqualTo(1.0);
                assertThat(m.get("tessera_group_term")).isEqualTo((double) leader.term());
                assertThat(m.get("tessera_group_commit_index")).isGreaterThanOrEqualTo(6.0);
                assertThat(m.get("tessera_group_applied_index")).isGreaterThanOrEqualTo(6.0);
                assertThat(m).containsKey("tessera_group_snapshot_installs_total");
                long lags = m.keySet().stream().filter(k -> k.startsWith("tessera_group_follower_lag{")).count();
                assertThat(lags).as(GroupProcesses.id(i) + "'s follower lags").isEqualTo(i == leaderIndex ? 2 : 0);
            }
            assertThat(leaders).isEqualTo(1.0);
            for (FollowerLag f : leader.followers()) {
                assertThat(metrics(group, leaderIndex)).containsKey("tessera_group_follower_lag{follower=\""
                        + f.id() + "\"}");
            }

            // the console's group panel reads the same view
            int follower = (leaderIndex + 1) % 3;
            Cluster console = consoleView(group, follower);
            assertThat(console.nodeId()).isEqualTo(GroupProcesses.id(follower));
            assertThat(console.leaderId()).isEqualTo(leader.nodeId());
            assertThat(console.peers()).hasSize(3);

            // a replace of a member the group does not have is refused, and changes nothing
            Run replace = cluster(group, List.of(leaderIndex), "replace", "n9", "n4", "--new-address",
                    "127.0.0.1:1");
            assertThat(replace.code()).isEqualTo(2);
            assertThat(replace.err()).contains("400 InvalidArgument").contains("n9 is not a member");
            assertThat(view(group, leaderIndex).peers()).hasSize(3);

            // the two followers die: the leader loses its majority, steps down, and is not ready
            for (int i = 0; i < 3; i++) {
                if (i != leaderIndex) {
                    group.kill(i);
                }
            }
            await(STEP_DOWN, () -> {
                try {
                    HttpResponse<String> ready = get(group, leaderIndex, "/health/ready");
                    return ready.statusCode() == 503 && ready.body().contains("the group has no leader") ? null
                            : "ready answered " + ready.statusCode() + " " + ready.body();
                } catch (IOException e) {
                    return e.toString();
                }
            });
            Cluster alone = view(group, leaderIndex);
            assertThat(alone.leaderId()).isNull();
            assertThat(alone.role()).isNotEqualTo("LEADER");
            Map<String, Double> m = metrics(group, leaderIndex);
            assertThat(m.get("tessera_group_has_leader")).isEqualTo(0.0);
            assertThat(m.get("tessera_group_leader")).isEqualTo(0.0);
            assertThat(m.keySet()).noneMatch(k -> k.startsWith("tessera_group_follower_lag{"));

            Run survivors = cluster(group, List.of(0, 1, 2), "status");
            assertThat(survivors.code()).as("two nodes could not be asked").isEqualTo(2);
            String[] rows = survivors.out().split("\n");
            for (int i = 0; i < 3; i++) {
                String row = rows[i + 1];
                if (i == leaderIndex) {
                    assertThat(row).startsWith(GroupProcesses.id(i)).contains("none");
                } else {
                    assertThat(row).startsWith("?").contains("unreachable").endsWith(group.adminEndpoint(i).toString());
                }
            }
            assertThat(survivors.err()).contains("no node answers on " + group.adminEndpoint((leaderIndex + 1) % 3));
        }
    }
}
