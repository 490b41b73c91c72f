package io.tessera.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A restarted node applies exactly the entries after its durable applied index, and none twice. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReplayTest {
    @TempDir
    Path dir;

    @Test
    void aRestartedNodeReplaysOnlyWhatItsStateDidNotPersist() throws Exception {
        try (TestGroup group = TestGroup.started(dir, 3, c -> c.withSnapshots(10, 16 * 1024, 4))) {
            for (int i = 0; i < 25; i++) {
                group.submit(i % 3, "incr c");
            }
            int leader = group.leaderSeenBy(0);
            int b = (leader + 1) % 3;
            group.barrier(b);
            // From here b's state persists nothing more: what it applies next is lost when it stops,
            // as after a crash, and must come back from the log.
            group.state(b).freezePersistence();
            long durable = group.state(b).persist();
            for (int i = 0; i < 7; i++) {
                group.submit(i % 3, "incr c");
            }
            group.barrier(b);
            assertThat(group.state(b).get("c")).isEqualTo("32");
            assertThat(durable).isGreaterThan(10);
            group.stop(b);
            // What b's state holds on disk: every entry is an increment, so the counter counts them.
            long durableIncrements = Long.parseLong(new KeyValueState(group.stateDir(b)).get("c"));
            assertThat(durableIncrements).isBetween(10L, 25L);

            group.start(b);
            group.barrier(b);
            KeyValueState restarted = group.state(b);
            assertThat(restarted.get("c")).isEqualTo("32");
            assertThat(restarted.appliesInState()).isEqualTo(32);
            // Exactly the increments after the durable index came back; everything up to it was skipped.
            assertThat(restarted.appliesThisIncarnation()).isEqualTo(32 - durableIncrements);
            assertThat(restarted.violations()).isEmpty();

            // Restarted again with everything persisted at stop (Ratis takes a snapshot on close): nothing replays.
            group.stop(b);
            group.start(b);
            group.barrier(b);
            assertThat(group.state(b).appliesThisIncarnation()).isZero();
            assertThat(group.submit(b, "incr c")).isEqualTo("33");
            group.barrier(b);
            assertThat(group.state(b).appliesThisIncarnation()).isEqualTo(1);
            assertThat(group.state(b).contents()).isEqualTo(group.state(leader).contents());
        }
    }

}
