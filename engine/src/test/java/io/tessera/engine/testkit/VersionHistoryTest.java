package io.tessera.engine.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The judge of the stress tests must itself be right: what a read may and may not return. */
class VersionHistoryTest {
    private static List<String> labels(List<VersionHistory.Version<String>> versions) {
        return versions.stream().map(VersionHistory.Version::label).toList();
    }

    @Test
    void aReadAfterTwoSequentialWritesSeesOnlyTheSecond() {
        VersionHistory<String> h = new VersionHistory<>(null, "absent");
        h.ack(h.begin("a", "A", 1), 2);
        h.ack(h.begin("b", "B", 3), 4);
        assertThat(labels(h.admissible(5, 6))).containsExactly("B");
        assertThat(labels(h.admissibleNow())).containsExactly("B");
    }

    @Test
    void overlappingWritesMayLandInEitherOrder() {
        VersionHistory<String> h = new VersionHistory<>(null, "absent");
        VersionHistory.Version<String> a = h.begin("a", "A", 1);
        VersionHistory.Version<String> b = h.begin("b", "B", 2);
        h.ack(b, 3);
        h.ack(a, 4);
        assertThat(labels(h.admissible(5, 6))).containsExactly("A", "B");
    }

    @Test
    void aReadOverlappingAWriteMaySeeBeforeOrAfterButNotAWriteBegunLater() {
        VersionHistory<String> h = new VersionHistory<>(null, "absent");
        h.ack(h.begin("a", "A", 1), 2);
        VersionHistory.Version<String> b = h.begin("b", "B", 3);
        // read [4, 5] overlaps B, which is still open
        assertThat(labels(h.admissible(4, 5))).containsExactly("A", "B");
        h.begin("c", "C", 6);
        assertThat(labels(h.admissible(4, 5))).containsExactly("A", "B");
        h.ack(b, 7);
        // a read starting after B was acknowledged can no longer see A
        assertThat(labels(h.admissible(8, 9))).containsExactly("B", "C");
    }

    @Test
    void refusedWritesAndPrunedVersionsAreNeverAdmissible() {
        VersionHistory<String> h = new VersionHistory<>("x", "X");
        VersionHistory.Version<String> a = h.begin("a", "A", 1);
        h.refuse(a);
        assertThat(labels(h.admissible(2, 3))).containsExactly("X");
        h.ack(h.begin(null, "DEL", 4), 5);
        assertThat(labels(h.admissible(3, 6))).containsExactly("X", "DEL");
        h.prune(6);
        assertThat(labels(h.all())).containsExactly("DEL");
        assertThat(h.admissibleNow().get(0).absent()).isTrue();
    }

    @Test
    void everyCellOfABodyNamesItsBodyAndOffset() {
        byte[] body = BodyPattern.body(77, 3, 10_000);
        BodyPattern.Cell c = BodyPattern.identify(body, 5_001, 64);
        assertThat(c).isNotNull();
        assertThat(c.bodyId()).isEqualTo(77);
        assertThat(c.keyIndex()).isEqualTo(3);
        assertThat(c.bodyOffset()).isEqualTo(c.foundAt());
        byte[] slice = new byte[300];
        BodyPattern.fill(77, 3, 4_321, slice, 0, 300);
        assertThat(slice).isEqualTo(Arrays.copyOfRange(body, 4_321, 4_621));
        assertThat(BodyPattern.identify(body, 4_992, 0)).isNotNull(); // looks at the cell at 4992 only
        body[5_010] ^= 1;
        assertThat(BodyPattern.identify(body, 4_992, 0)).isNull();
    }
}
