package io.tessera.server.group;

import static io.tessera.server.group.Conditions.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.cluster.ClusterConfig;
import io.tessera.cluster.ClusterPeer;
import io.tessera.cluster.ClusterStatus;
import io.tessera.engine.GcPolicy;
import io.tessera.server.ServerConfig;
import io.tessera.server.it.TestNode;
import io.tessera.server.lifecycle.SweepReport;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;

/**
 * What a group of three nodes (in this JVM, each its own engine, Ratis node and S3 port on loopback) does
 * in the background and beside the log:
 * <ul>
 *   <li>blob bytes streamed between members are counted: after a PUT through one member, each other member's
 *       {@code tessera_group_blob_bytes_received_total} grows by at least the body's size, and the taker's
 *       {@code ..._sent_total} by twice that;</li>
 *   <li>periodic commands come from the leader alone: a forced lifecycle sweep on a follower expires nothing,
 *       the leader's expires every due object, and every member's log applies exactly one DeleteObject per
 *       expired object ({@code tessera_group_commands_applied_total}); the engines' background cycles issue
 *       reclaims and tombstone purges on the leader only.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupBackgroundWorkTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private final List<TestNode> nodes = new ArrayList<>();
    private final List<S3Client> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(S3Client::close);
        for (TestNode n : nodes) {
            n.close();
        }
    }

    /** Three members on free loopback ports, background cycles every 100 ms. */
    private void startGroup() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<ClusterPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) { // held all at once: no two of them are the same
                held.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
            }
            for (int i = 0; i < 3; i++) {
                peers.add(new ClusterPeer("n" + (i + 1), "127.0.0.1:" + held.get(2 * i).getLocalPort(),
                        "127.0.0.1:" + held.get(2 * i + 1).getLocalPort()));
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        for (int i = 0; i < 3; i++) {
            Path data = dir.resolve("n" + (i + 1));
            ClusterPeer self = peers.get(i);
            ServerConfig config = TestNode.baseConfig(data);
            config = config.withEngine(config.engine().withGc(GcPolicy.every(Duration.ofMillis(100), 0.4)))
                    .withGroup(ClusterConfig.of(self.id(), self.address() + ":" + self.streamPort(), peers,
                            data.resolve("group")));
            TestNode node = TestNode.start(config);
            nodes.add(node);
            clients.add(node.client(false));
        }
    }

    private GroupNode group(int i) {
        return nodes.get(i).server().group();
    }

    /** The index of the member every member names as leader, once they agree; -1 until then. */
    private int leader() {
        String leader = null;
        for (int i = 0; i < 3; i++) {
            ClusterStatus s = group(i).status();
            if (s.leaderId() == null || (leader != null && !leader.equals(s.leaderId()))) {
                return -1;
            }
            leader = s.leaderId();
        }
        return Integer.parseInt(leader.substring(1)) - 1;
    }

    /** One series of member {@code i}'s {@code /metrics} text, or -1 when it has none. */
    private double metric(int i, String series) {
        for (String line : nodes.get(i).server().metrics().scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return -1;
    }

    @Test
    void blobBytesAreCountedAndPeriodicCommandsComeFromTheLeaderAlone() throws Exception {
        startGroup();
        await(SETTLE, () -> leader() >= 0 ? null : "no leader all three agree on yet");
        int leader = leader();
        long term = group(leader).status().term();
        int follower = (leader + 1) % 3;
        int other = (leader + 2) % 3;

        // bytes streamed: a PUT through a follower ships its body to both others
        clients.get(leader).createBucket(b -> b.bucket("traffic"));
        long[] receivedBefore = new long[3];
        long[] sentBefore = new long[3];
        for (int i = 0; i < 3; i++) {
            receivedBefore[i] = group(i).traffic().blobBytesReceived();
            sentBefore[i] = group(i).traffic().blobBytesSent();
        }
        byte[] body = new byte[MIB];
        new Random(2).nextBytes(body);
        clients.get(follower).putObject(p -> p.bucket("traffic").key("one-mib"), RequestBody.fromBytes(body));
        for (int i : List.of(leader, other)) {
            await(SETTLE, () -> group(i).traffic().blobBytesReceived() - receivedBefore[i] >= body.length ? null
                    : "n" + (i + 1) + " received " + (group(i).traffic().blobBytesReceived() - receivedBefore[i]));
            assertThat(metric(i, "tessera_group_blob_bytes_received_total"))
                    .as("the metric on n%d", i + 1).isGreaterThanOrEqualTo(receivedBefore[i] + body.length);
        }
        await(SETTLE, () -> group(follower).traffic().blobBytesSent() - sentBefore[follower] >= 2L * body.length
                ? null : "the taker sent " + (group(follower).traffic().blobBytesSent() - sentBefore[follower]));
        assertThat(metric(follower, "tessera_group_blob_bytes_sent_total"))
                .isGreaterThanOrEqualTo(sentBefore[follower] + 2.0 * body.length);

        // lifecycle: a rule whose date has passed makes every object due at once
        int due = 5;
        clients.get(leader).createBucket(b -> b.bucket("expiring"));
        for (int k = 0; k < due; k++) {
            String key = "k" + k;
            clients.get(k % 3).putObject(p -> p.bucket("expiring").key(key), RequestBody.fromString("due " + key));
        }
        clients.get(leader).putBucketLifecycleConfiguration(b -> b.bucket("expiring")
                .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(LifecycleRule.builder()
                        .id("past").status(ExpirationStatus.ENABLED).filter(LifecycleRuleFilter.builder().prefix("")
                                .build())
                        .expiration(LifecycleExpiration.builder()
                                .date(java.time.Instant.parse("2020-01-01T00:00:00Z")).build())
                        .build()).build()));
        for (int i : List.of(follower, other)) {
            SweepReport r = nodes.get(i).server().lifecycle().runNow().get(30, TimeUnit.SECONDS);
            assertThat(r.expiredObjects()).as("objects a follower's sweep expired").isZero();
        }
        assertThat(clients.get(other).listObjectsV2(l -> l.bucket("expiring")).keyCount()).isEqualTo(due);
        SweepReport swept = nodes.get(leader).server().lifecycle().runNow().get(30, TimeUnit.SECONDS);
        assertThat(swept.expiredObjects()).isEqualTo(due);
        assertThat(clients.get(follower).listObjectsV2(l -> l.bucket("expiring")).keyCount()).isZero();
        // every member's log applied one delete per expired object (the test deletes nothing itself)
        for (int i = 0; i < 3; i++) {
            int member = i;
            await(SETTLE, () -> deletes(member) >= due ? null : "n" + (member + 1) + " applied " + deletes(member));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(deletes(i)).as("DeleteObject entries applied on n%d", i + 1).isEqualTo(due);
            assertThat(metric(i, "tessera_group_commands_applied_total{command=\"DeleteObject\"}"))
                    .isEqualTo((double) due);
        }

        // the engines' background cycles (every 100 ms) issue reclaims and purges on the leader alone
        await(SETTLE, () -> nodes.get(leader).server().engine().backgroundCommandRounds() >= 3 ? null
                : "the leader's rounds: " + nodes.get(leader).server().engine().backgroundCommandRounds());
        assertThat(group(leader).status().term()).as("the leadership did not change meanwhile").isEqualTo(term);
        for (int i : List.of(follower, other)) {
            assertThat(nodes.get(i).server().engine().backgroundCommandRounds()).as("rounds on follower n%d", i + 1)
                    .isZero();
            assertThat(metric(i, "tessera_engine_background_command_rounds_total")).isZero();
        }
        assertThat(metric(leader, "tessera_engine_background_command_rounds_total")).isGreaterThanOrEqualTo(3);
    }

    private long deletes(int i) {
        Map<String, Long> applied = group(i).traffic().appliedCommands();
        return applied.getOrDefault("DeleteObject", 0L);
    }
}
