package io.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Catch-up by snapshot: a member is down while the others take writes (here 96 MiB in 3 MiB objects and
 * small ones; {@code tessera.catchUp.mib} for more), with snapshots and log purges every few dozen entries
 * so that the log no longer reaches it. Started again, it installs a checkpoint of another member
 * (the snapshot install counter says so), fetches the blobs it lacks, and then serves every object
 * with the same bytes as the others. The figures (bytes written while down, seconds until it served them
 * all) are printed.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class GroupCatchUpTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aMemberBehindThePurgedLogCatchesUpBySnapshotAndServesEverything() throws Exception {
        int mib = Integer.getInteger("tessera.catchUp.mib", 96);
        List<String> knobs = List.of("-Dtessera.group.snapshotEvery=40", "-Dtessera.group.logSegmentBytes=8192",
                "-Dtessera.group.purgeGap=8");
        try (GroupProcesses group = GroupProcesses.start(dir, 3, knobs);
             S3Client first = group.client(0);
             S3Client second = group.client(1);
             S3Client late = group.client(2)) {
            first.createBucket(b -> b.bucket("catchup"));
            Map<String, byte[]> acked = new LinkedHashMap<>();
            Random random = new Random(7);
            put(first, acked, "before", bytes(random, 1000));

            group.kill(2);
            long written = 0;
            for (int i = 0; written < (long) mib * MIB; i++) {
                byte[] body = bytes(random, i % 4 == 3 ? 3 * MIB : 100 + random.nextInt(4000));
                put(i % 2 == 0 ? first : second, acked, "k" + i, body);
                written += body.length;
            }
            double installsBefore = installs(group, 0) + installs(group, 1);

            long start = System.nanoTime();
            group.start(2);
            for (Map.Entry<String, byte[]> e : acked.entrySet()) {
                assertThat(late.getObjectAsBytes(g -> g.bucket("catchup").key(e.getKey())).asByteArray())
                        .as("%s on the member that was down", e.getKey()).isEqualTo(e.getValue());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(installs(group, 2)).as("snapshot installs on the member that was down").isGreaterThan(0);
            assertThat(installsBefore).as("the members that stayed up installed nothing").isZero();
            System.out.printf("group catch-up: %d objects, %.1f MiB written while a member was down; it served"
                    + " them all %.1f s after it was started again, after %.0f snapshot install(s)%n", acked.size(),
                    written / (double) MIB, seconds, installs(group, 2));
        }
    }

    private static void put(S3Client client, Map<String, byte[]> acked, String key, byte[] body) {
        client.putObject(p -> p.bucket("catchup").key(key), RequestBody.fromBytes(body));
        acked.put(key, body);
    }

    /** {@code tessera_group_snapshot_installs_total} of member {@code i}. */
    private static double installs(GroupProcesses group, int i) throws IOException, InterruptedException {
        URI metrics = group.adminEndpoint(i).resolve("/metrics");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        for (String line : r.body().split("\n")) {
            if (line.startsWith("tessera_group_snapshot_installs_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no tessera_group_snapshot_installs_total on " + GroupProcesses.id(i));
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
