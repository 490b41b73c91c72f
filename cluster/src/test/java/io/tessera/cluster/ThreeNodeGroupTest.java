package io.tessera.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three in-process nodes on loopback: any node takes writes, every node ends in the same state. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ThreeNodeGroupTest {
    @TempDir
    Path dir;

    private TestGroup group;

    @BeforeEach
    void start() {
        group = TestGroup.started(dir, 3, c -> c);
    }

    @AfterEach
    void stop() {
        group.close();
    }

    @Test
    void entriesSubmittedOnEveryNodeAreAppliedOnceInOneOrderEverywhere() throws Exception {
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            answers.add(group.node(i % 3).submit(("incr counter").getBytes()));
            answers.add(group.node(i % 3).submit(("put k" + i + " v" + i).getBytes()));
        }
        Set<Long> counterValues = new HashSet<>();
        for (int i = 0; i < answers.size(); i += 2) {
            counterValues.add(Long.parseLong(new String(answers.get(i).get(30, TimeUnit.SECONDS))));
            assertThat(new String(answers.get(i + 1).get(30, TimeUnit.SECONDS))).isEqualTo("ok");
        }
        // Each increment saw a distinct value: one order, each entry applied once.
        assertThat(counterValues).isEqualTo(LongStream.rangeClosed(1, 60).boxed().collect(Collectors.toSet()));
        // The same command answers the same on every node (asked through the log from each).
        for (int i = 0; i < 3; i++) {
            assertThat(group.submit(i, "cas counter 999 1000")).isEqualTo("mismatch " + (60 + 0));
        }
        for (int i = 0; i < 3; i++) {
            group.barrier(i);
        }
        for (int i = 1; i < 3; i++) {
            assertThat(group.state(i).contents()).isEqualTo(group.state(0).contents());
            assertThat(group.state(i).appliesInState()).isEqualTo(group.state(0).appliesInState());
            assertThat(group.state(i).violations()).isEmpty();
        }
        assertThat(group.state(0).appliesInState()).isEqualTo(123);
        assertThat(group.state(0).contents()).hasSize(61).containsEntry("counter", "60").containsEntry("k59", "v59");
    }

    @Test
    void aReadBarrierOnAnotherNodeSeesTheWriteJustAnswered() throws Exception {
        for (int i = 0; i < 12; i++) {
            int writer = i % 3;
            int reader = (i + 1) % 3;
            assertThat(group.submit(writer, "put key " + i)).isEqualTo("ok");
            group.barrier(reader);
            assertThat(group.state(reader).get("key")).as("read on %s after write %d on %s", reader, i, writer)
                    .isEqualTo(Integer.toString(i));
        }
    }

    /** A question to one named member, outside the log: that member's own state answers, leader or not. */
    @Test
    void askReachesTheNamedMemberAloneAndFailsWithinTheBoundWhenItIsDown() throws Exception {
        assertThat(group.submit(0, "put asked yes")).isEqualTo("ok");
        for (int i = 0; i < 3; i++) {
            group.barrier(i);
        }
        for (int from = 0; from < 3; from++) {
            for (int to = 0; to < 3; to++) {
                if (from != to) {
                    byte[] answer = group.node(from).ask(TestGroup.id(to), "asked".getBytes(StandardCharsets.UTF_8))
                            .get(TestGroup.BOUND.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(new String(answer, StandardCharsets.UTF_8)).as("%s asked %s", from, to).isEqualTo("yes");
                }
            }
        }
        int down = (group.leaderSeenBy(0) + 1) % 3;
        int asker = (down + 1) % 3;
        group.stop(down);
        long start = System.nanoTime();
        assertThatThrownBy(() -> group.node(asker).ask(TestGroup.id(down), "asked".getBytes(StandardCharsets.UTF_8))
                .get(TestGroup.BOUND.toMillis() * 2, TimeUnit.MILLISECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TestGroup.BOUND.plusSeconds(5));
        group.start(down);
    }

    @Test
    void statusNamesOneLeaderWithItsFollowersProgress() throws Exception {
        for (int i = 0; i < 10; i++) {
            group.submit(i % 3, "put a " + i);
        }
        for (int i = 0; i < 3; i++) {
            group.barrier(i);
        }
        int leader = group.leaderSeenBy(0);
        ClusterStatus status = group.node(leader).status();
        assertThat(status.isLeader()).isTrue();
        assertThat(status.isReady()).isTrue();
        assertThat(status.peers()).containsExactlyInAnyOrderElementsOf(group.peers());
        assertThat(status.followers()).hasSize(2)
                .allSatisfy(f -> assertThat(f.matchIndex()).isGreaterThanOrEqualTo(10));
        assertThat(status.commitIndex()).isGreaterThanOrEqualTo(10);
        for (int i = 0; i < 3; i++) {
            ClusterStatus s = group.node(i).status();
            assertThat(s.leaderId()).isEqualTo(status.leaderId());
            assertThat(s.term()).isEqualTo(status.term());
            assertThat(s.appliedIndex()).isGreaterThanOrEqualTo(10);
            if (i != leader) {
                assertThat(s.role()).isEqualTo("FOLLOWER");
                assertThat(s.followers()).isEmpty();
            }
        }
    }
}
