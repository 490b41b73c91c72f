package io.tessera.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node leaves and comes back: the others go on, and it catches up from the log or a snapshot. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FailoverTest {
    @TempDir
    Path dir;

    private TestGroup group;

    @AfterEach
    void stop() {
        group.close();
    }

    @Test
    void writesGoOnWhenTheLeaderStopsAndItCatchesUpWhenItReturns() throws Exception {
        group = TestGroup.started(dir, 3, c -> c);
        for (int i = 0; i < 20; i++) {
            assertThat(group.submit(i % 3, "incr c")).isEqualTo(Integer.toString(i + 1));
        }
        int oldLeader = group.leaderSeenBy(0);
        long oldTerm = group.node(oldLeader).status().term();
        group.stop(oldLeader);

        int a = (oldLeader + 1) % 3;
        int b = (oldLeader + 2) % 3;
        for (int i = 20; i < 40; i++) {
            assertThat(group.submit(i % 2 == 0 ? a : b, "incr c")).isEqualTo(Integer.toString(i + 1));
        }
        int newLeader = group.leaderSeenBy(a);
        assertThat(newLeader).isNotEqualTo(oldLeader);
        assertThat(group.node(a).status().term()).isGreaterThan(oldTerm);

        group.start(oldLeader);
        group.barrier(oldLeader);
        assertThat(group.state(oldLeader).get("c")).isEqualTo("40");
        assertThat(group.submit(oldLeader, "incr c")).isEqualTo("41");
        for (int i = 0; i < 3; i++) {
            group.barrier(i);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(group.state(i).contents()).containsEntry("c", "41");
            assertThat(group.state(i).appliesInState()).isEqualTo(41);
            assertThat(group.state(i).violations()).isEmpty();
        }
    }

    @Test
    void aFollowerDownWhileTheLogIsPurgedCatchesUpBySnapshotInstall() throws Exception {
        // A snapshot every 20 entries, small segments, a small purge gap: the leader's log soon starts
        // well after what the stopped follower holds.
        group = TestGroup.started(dir, 3, c -> c.withSnapshots(20, 16 * 1024, 8));
        for (int i = 0; i < 10; i++) {
            group.submit(i % 3, "put warm " + i);
        }
        int leader = group.leaderSeenBy(0);
        int down = (leader + 1) % 3;
        int other = (leader + 2) % 3;
        group.barrier(down);
        group.stop(down);

        String pad = "x".repeat(300);
        for (int i = 0; i < 400; i++) {
            group.node(i % 2 == 0 ? leader : other).submit(("put k" + (i % 50) + " " + i + pad).getBytes());
        }
        assertThat(group.submit(other, "put last done")).isEqualTo("ok");
        ClusterStatus leaderStatus = group.node(leader).status();
        assertThat(leaderStatus.snapshotsTaken()).isGreaterThan(5);
        assertThat(leaderStatus.lastSnapshotIndex()).isGreaterThan(300);

        group.start(down);
        group.barrier(down);
        ClusterStatus rejoined = group.node(down).status();
        assertThat(rejoined.snapshotInstalls()).as("installs on the rejoined follower").isEqualTo(1);
        assertThat(rejoined.lastSnapshotIndex()).isGreaterThan(300);
        for (int i = 0; i < 3; i++) {
            group.barrier(i);
        }
        assertThat(group.state(down).get("last")).isEqualTo("done");
        assertThat(group.state(down).contents()).isEqualTo(group.state(leader).contents());
        assertThat(group.state(down).appliesInState()).isEqualTo(group.state(leader).appliesInState())
                .isEqualTo(411);
        // It installed rather than replayed: it applied only what came after the snapshot.
        assertThat(group.state(down).appliesThisIncarnation()).isLessThan(100);
        assertThat(group.state(down).violations()).isEmpty();

        // And it keeps up afterwards, as a follower of the same log.
        assertThat(group.submit(down, "put after install")).isEqualTo("ok");
        group.barrier(leader);
        assertThat(group.state(leader).get("after")).isEqualTo("install");
    }
}
