package io.tessera.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.cluster.ClusterPeer;
import io.tessera.cluster.ClusterStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows the node's life: not while the engine opens, then while the disk takes writes, not once closing. */
class HealthTest {
    @TempDir
    Path dir;

    @Test
    void readyOnlyBetweenTheEngineOpeningAndTheShutdown() {
        Health h = new Health(dir);
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(false, "the engine is opening (recovery is running)"));
        assertThat(dir.resolve(Health.PROBE)).as("no probe before the engine opened").doesNotExist();
        h.engineOpened();
        assertThat(h.readiness().ready()).isTrue();
        assertThat(dir.resolve(Health.PROBE)).hasContent("ok");
        h.closing();
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(false, "the node is shutting down"));
    }

    @Test
    void aDataDirectoryThatRefusesWritesIsNotReady() {
        Path gone = dir.resolve("gone");
        Health h = new Health(gone); // the directory does not exist: the probe cannot be written
        h.engineOpened();
        Health.Readiness r = h.readiness();
        assertThat(r.ready()).isFalse();
        assertThat(r.reason()).startsWith("the data directory does not accept writes: ");
    }

    private static ClusterStatus status(String leader, long commit, long applied, boolean failed) {
        return new ClusterStatus("n2", leader == null ? "CANDIDATE" : "FOLLOWER", leader, 7, commit, applied, 0, 0, 0,
                failed, List.of(new ClusterPeer("n1", "127.0.0.1:1"), new ClusterPeer("n2", "127.0.0.1:2")), List.of());
    }

    /** A member is ready only with a leader, not failed, and within the catch-up allowance of its commit index. */
    @Test
    void aGroupMemberIsReadyOnlyWithALeaderAndNotFarBehind() {
        Health h = new Health(dir);
        AtomicReference<ClusterStatus> group = new AtomicReference<>(status("n1", 5000, 5000, false));
        h.groupJoined(group::get);
        h.engineOpened();
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(true, null));

        group.set(status(null, 5000, 5000, false));
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(false,
                "the group has no leader (n2 is CANDIDATE in term 7)"));

        group.set(status("n1", 5000, 5000 - Health.CATCHING_UP_ENTRIES, false));
        assertThat(h.readiness().ready()).as("exactly the allowance behind").isTrue();
        group.set(status("n1", 5000, 5000 - Health.CATCHING_UP_ENTRIES - 1, false));
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(false,
                "catching up: applied index 3999 is 1001 entries behind commit index 5000"));

        group.set(status("n1", 5000, 5000, true));
        assertThat(h.readiness().ready()).isFalse();
        assertThat(h.readiness().reason()).contains("failed to apply an entry");

        group.set(null);
        h.groupJoined(() -> {
            throw new IllegalStateException("node n2 has no division of its group (closed?)");
        });
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(false,
                "the group's node is closed: node n2 has no division of its group (closed?)"));

        h.groupJoined(() -> status("n1", 10, 10, false));
        assertThat(h.readiness().ready()).isTrue();
        h.closing();
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(false, "the node is shutting down"));
    }
}
