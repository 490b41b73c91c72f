package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member's request waits for its own apply of the entry, and no longer than the bound it was connected
 * with: a group that committed the entry while this member never applies it (it lags, or its apply
 * thread is stuck) answers SLOW_DOWN within that bound rather than hanging the client.
 */
class GroupAnswerWaitTest {
    @TempDir
    Path dir;

    @Test
    void aCommittedEntryThisMemberDoesNotApplyAnswersSlowDownWithinTheBound() {
        try (Engine e = Engine.openMember(TestEngines.config(dir))) {
            GroupMember m = e.member();
            m.connect(entry -> CompletableFuture.completedFuture(null), Duration.ofMillis(300)); // never applied here
            m.readBarrier(() -> { });
            long start = System.nanoTime();
            assertThatThrownBy(() -> e.createBucket("b", OWNER)).isInstanceOfSatisfying(EngineException.class,
                    x -> assertThat(x.code()).isEqualTo(ErrorCode.SLOW_DOWN));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }
}
