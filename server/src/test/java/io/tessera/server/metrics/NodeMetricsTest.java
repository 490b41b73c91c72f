package io.tessera.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.cluster.ClusterPeer;
import io.tessera.cluster.ClusterStatus;
import io.tessera.server.group.GroupTraffic;
import io.tessera.server.netty.ListenerStats;
import io.tessera.server.observe.RequestRecord;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request meters without a node: what a finished request adds, and what the listener's guards show. */
class NodeMetricsTest {
    @TempDir
    Path dir;

    private static RequestRecord record(String op, int status, String error, long in, long out, boolean complete) {
        return new RequestRecord(Instant.now(), "ID", "PUT", "AKID", op, "b", "k", status, error, in, out, 5_000_000,
                complete);
    }

    /**
     * The listener's counters follow their source after garbage collections: a function counter holds its
     * source weakly unless told otherwise, and the lambdas the meters read from have no other owner.
     */
    @Test
    void countersFollowTheListenerAfterGarbageCollections() {
        try (NodeMetrics m = new NodeMetrics(dir, "test")) {
            AtomicReference<ListenerStats> stats = new AtomicReference<>(new ListenerStats(0, 0, 0, 0, 0, 0, 0, 0, 0));
            m.bindServer(stats::get, () -> 0);
            m.completed(record("PutObject", 503, "SlowDown", 0, 0, true));
            assertThat(m.scrape()).contains("tessera_s3_bodies_refused_share_total 0.0")
                    .contains("tessera_s3_slowdowns_total 1.0");
            WeakReference<Object> canary = new WeakReference<>(new Object());
            for (int i = 0; i < 50 && canary.get() != null; i++) {
                System.gc(); // a weakly held counter source goes with the canary
            }
            assertThat(canary.get()).as("a garbage collection ran").isNull();
            stats.set(new ListenerStats(0, 2, 0, 0, 0, 0, 9, 4, 5));
            m.completed(record("PutObject", 503, "SlowDown", 0, 0, true));
            assertThat(m.scrape()).contains("tessera_s3_bodies_refused_share_total 9.0")
                    .contains("tessera_s3_connections_refused_total 2.0")
                    .contains("tessera_s3_header_timeouts_total 4.0")
                    .contains("tessera_s3_body_timeouts_total 5.0")
                    .contains("tessera_s3_slowdowns_total 2.0");
        }
    }

    @Test
    void slowDownsAreCountedFromAnswersAndCutAnswersSendNothing() {
        try (NodeMetrics m = new NodeMetrics(dir, "test")) {
            m.bindServer(() -> new ListenerStats(3, 4, 1, 4096, 2, 5, 3, 6, 7), () -> 8);
            m.completed(record("UploadPart", 503, "SlowDown", 100, 245, true));
            m.completed(record("GetObject", 200, null, 0, 1000, false));
            m.completed(record(null, 400, "InvalidRequest", 0, 200, true));
            String text = m.scrape();
            assertThat(text).contains("tessera_s3_slowdowns_total 1.0")
                    .contains("tessera_s3_connections 3.0")
                    .contains("tessera_s3_connections_refused_total 4.0")
                    .contains("tessera_s3_bodies_in_flight 1.0")
                    .contains("tessera_s3_bodies_waiting 2.0")
                    .contains("tessera_s3_bodies_memory_bytes 4096.0")
                    .contains("tessera_s3_bodies_refused_share_total 3.0")
                    .contains("tessera_s3_header_timeouts_total 6.0")
                    .contains("tessera_s3_body_timeouts_total 7.0")
                    .contains("tessera_s3_requests_in_flight 8.0")
                    .contains("tessera_s3_requests_total{operation=\"UploadPart\",status=\"503\"} 1.0")
                    .contains("tessera_s3_received_bytes_total{operation=\"UploadPart\"} 100.0")
                    .contains("tessera_s3_sent_bytes_total{operation=\"GetObject\"} 0.0")
                    .contains("tessera_s3_requests_total{operation=\"unknown\",status=\"400\"} 1.0")
                    .contains("tessera_build_info{version=\"test\"} 1\n")
                    .contains("disk_free_bytes{");
        }
    }

    private static ClusterStatus status(String role, String leader, long term, long installs,
                                        List<ClusterStatus.FollowerProgress> followers) {
        return new ClusterStatus("n1", role, leader, term, 120, 118, 100, 1, installs, false,
                List.of(new ClusterPeer("n1", "127.0.0.1:1"), new ClusterPeer("n2", "127.0.0.1:2"),
                        new ClusterPeer("n3", "127.0.0.1:3")), followers);
    }

    /**
     * The group's meters follow the node's view at each scrape: role, term and indexes, a lag per follower
     * while it leads and none once it follows, and NaN while the group's node is closed.
     */
    @Test
    void groupMetersFollowTheNodesViewOfItsGroup() {
        try (NodeMetrics m = new NodeMetrics(dir, "test")) {
            AtomicReference<ClusterStatus> view = new AtomicReference<>(status("LEADER", "n1", 3, 0,
                    List.of(new ClusterStatus.FollowerProgress("n2", 120, 0),
                            new ClusterStatus.FollowerProgress("n3", 90, 30))));
            m.bindGroup(() -> {
                ClusterStatus s = view.get();
                if (s == null) {
                    throw new IllegalStateException("closed");
                }
                return s;
            }, new GroupTraffic());
            String leading = m.scrape();
            assertThat(leading).contains("tessera_group_leader 1.0").contains("tessera_group_has_leader 1.0")
                    .contains("tessera_group_term 3.0").contains("tessera_group_commit_index 120.0")
                    .contains("tessera_group_applied_index 118.0").contains("tessera_group_last_snapshot_index 100.0")
                    .contains("tessera_group_snapshot_installs_total 0.0")
                    .contains("tessera_group_follower_lag{follower=\"n2\"} 0.0")
                    .contains("tessera_group_follower_lag{follower=\"n3\"} 30.0")
                    .contains("tessera_group_blob_bytes_sent_total 0.0")
                    .contains("tessera_group_blob_bytes_received_total 0.0");

            view.set(status("FOLLOWER", "n2", 4, 1, List.of()));
            String following = m.scrape();
            assertThat(following).contains("tessera_group_leader 0.0").contains("tessera_group_has_leader 1.0")
                    .contains("tessera_group_term 4.0").contains("tessera_group_snapshot_installs_total 1.0")
                    .doesNotContain("tessera_group_follower_lag{");

            view.set(status("CANDIDATE", null, 5, 1, List.of()));
            assertThat(m.scrape()).contains("tessera_group_has_leader 0.0").contains("tessera_group_term 5.0");

            view.set(null);
            assertThat(m.scrape()).contains("tessera_group_term NaN").contains("tessera_group_leader NaN");
        }
    }
}
