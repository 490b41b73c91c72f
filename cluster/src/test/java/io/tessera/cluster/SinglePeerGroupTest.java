package io.tessera.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A group of one: the same code path as three, leading by itself and replaying nothing persisted. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class SinglePeerGroupTest {
    @TempDir
    Path dir;

    @Test
    void aGroupOfOneLeadsItselfAndKeepsItsStateAcrossARestart() throws Exception {
        try (TestGroup group = TestGroup.started(dir, 1, c -> c.withSnapshots(5, 16 * 1024, 2))) {
            for (int i = 1; i <= 12; i++) {
                assertThat(group.submit(0, "incr c")).isEqualTo(Integer.toString(i));
            }
            assertThat(group.submit(0, "cas c 12 x")).isEqualTo("ok");
            assertThat(group.submit(0, "nonsense")).isEqualTo("error unknown command nonsense");
            group.barrier(0);
            ClusterStatus status = group.node(0).status();
            assertThat(status.isLeader()).isTrue();
            assertThat(status.leaderId()).isEqualTo("n0");
            assertThat(status.followers()).isEmpty();
            assertThat(status.snapshotsTaken()).isGreaterThanOrEqualTo(2);

            group.stop(0);
            group.start(0);
            assertThat(group.submit(0, "get c")).isEqualTo("x");
            assertThat(group.state(0).appliesThisIncarnation()).isEqualTo(1);
            assertThat(group.state(0).appliesInState()).isEqualTo(15);
            assertThat(group.state(0).violations()).isEmpty();
        }
    }
}
