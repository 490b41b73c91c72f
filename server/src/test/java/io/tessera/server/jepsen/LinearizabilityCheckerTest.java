package io.tessera.server.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.jepsen.Operation.Kind;
import io.tessera.server.jepsen.Operation.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LinearizabilityChecker} on histories written down by hand: each kind of anomaly a replicated
 * store can show is rejected, with a report that names the key and the operation at fault, and valid
 * concurrent histories (overlapping writes, unknown outcomes seen or never seen) are accepted. Times are
 * in arbitrary units.
 */
class LinearizabilityCheckerTest {
    private static final String KEY = "photos/cat.jpg";

    private final LinearizabilityChecker checker = new LinearizabilityChecker();
    private final List<Operation> ops = new ArrayList<>();

    // --- histories that must be rejected

    @Test
    void staleReadAfterANewerWriteCompleted() {
        write(1, "v1", 0, 10);
        write(1, "v2", 20, 30);
        Operation stale = read(2, "v1", 40, 50);

        KeyVerdict v = rejected();
        assertThat(v.explanation()).contains("\"" + KEY + "\"").contains(stale.describe(0))
                .contains("longest linearization found: 2 operations, leaving the register \"v2\"");
        assertThat(v.linearization()).extracting(Operation::value).containsExactly("v1", "v2");
    }

    @Test
    void lostWriteAcknowledgedButNeverVisibleWhileLaterReadsSeeTheValueBeforeIt() {
        write(1, "v1", 0, 10);
        read(2, "v1", 12, 15);
        write(1, "v2", 20, 30); // acknowledged ...
        read(2, "v1", 40, 50);  // ... and then never seen
        read(3, "v1", 60, 70);
        rejected();
    }

    @Test
    void readOfAValueNeverWritten() {
        write(1, "v1", 0, 10);
        Operation ghost = read(2, "ghost", 5, 15);
        KeyVerdict v = rejected();
        assertThat(v.explanation()).contains(ghost.describe(0)).contains("no acknowledged or possibly applied write");
    }

    @Test
    void twoReadersSeeConcurrentWritesInOppositeOrders() {
        write(1, "a", 0, 1000);
        write(2, "b", 0, 1000);
        read(3, "a", 10, 20);
        read(3, "b", 30, 40); // client 3 sees a then b
        read(4, "b", 10, 20);
        read(4, "a", 30, 40); // client 4 sees b then a
        rejected();
    }

    @Test
    void readSeesTheValueADeleteRemovedAfterTheDeleteCompleted() {
        write(1, "v1", 0, 10);
        delete(1, 20, 30);
        read(2, "v1", 40, 50);
        rejected();
    }

    @Test
    void readSeesAWriteInvokedOnlyAfterTheReadCompleted() {
        read(1, "v1", 0, 10);
        write(2, "v1", 20, 30);
        rejected();
    }

    @Test
    void aFailedWriteIsNeverVisible() {
        write(1, "v1", 0, 10);
        add(2, Kind.WRITE, "v2", 20, 30, Outcome.FAIL);
        read(3, "v2", 40, 50);
        rejected();
    }

    @Test
    void anUnknownWriteOnceSeenCannotBeUnseen() {
        write(1, "v1", 0, 10);
        unknown(2, Kind.WRITE, "v2", 20);
        read(3, "v2", 30, 40);
        read(3, "v1", 50, 60);
        rejected();
    }

    @Test
    void readOfAbsentAfterAnAcknowledgedWrite() {
        write(1, "v1", 0, 10);
        read(2, null, 20, 30);
        KeyVerdict v = rejected();
        assertThat(v.explanation()).contains("read -> absent");
    }

    @Test
    void onlyTheKeyAtFaultIsReported() {
        write(1, "v1", 0, 10);
        read(2, "v1", 20, 30);
        ops.add(new Operation(ops.size(), 3, "other", Kind.WRITE, "x", 0, 10, Outcome.OK));
        ops.add(new Operation(ops.size(), 3, "other", Kind.READ, "y", 20, 30, Outcome.OK));
        CheckResult r = checker.check(new History(ops));
        assertThat(r.linearizable()).isFalse();
        assertThat(r.violations()).extracting(KeyVerdict::key).containsExactly("other");
        assertThat(r.report()).startsWith("2 keys, 4 operations: 1 linearizable, 1 not, 0 undecided")
                .contains("key \"other\": NOT linearizable");
    }

    // --- histories that must be accepted

    @Test
    void sequentialWritesReadsAndDeletes() {
        read(1, null, 0, 5);
        write(1, "v1", 10, 20);
        read(2, "v1", 30, 40);
        delete(2, 50, 60);
        read(1, null, 70, 80);
        write(2, "v2", 90, 100);
        read(1, "v2", 110, 120);
        KeyVerdict v = accepted();
        assertThat(v.linearization()).extracting(Operation::id).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void overlappingWritesMayBeReadInEitherOrder() {
        write(1, "a", 0, 100);
        write(2, "b", 0, 100);
        read(3, "a", 110, 120);
        accepted();

        ops.clear();
        write(1, "a", 0, 100);
        write(2, "b", 0, 100);
        read(3, "b", 110, 120);
        accepted();
    }

    @Test
    void readsDuringOverlappingWritesMaySeeOneThenTheOther() {
        write(1, "a", 0, 100);
        write(2, "b", 0, 100);
        read(3, "b", 10, 20);
        read(3, "a", 30, 40);
        read(4, "a", 50, 60);
        read(3, "a", 110, 120);
        accepted();
    }

    @Test
    void anUnknownWriteMayBeSeenLongAfterItsClientGaveUp() {
        write(1, "v1", 0, 10);
        unknown(2, Kind.WRITE, "v2", 20);
        read(3, "v1", 30, 40);
        read(3, "v1", 500, 510);
        read(4, "v2", 900, 910);
        read(3, "v2", 1000, 1010);
        accepted();
    }

    @Test
    void anUnknownWriteMayNeverBeSeen() {
        write(1, "v1", 0, 10);
        unknown(2, Kind.WRITE, "v2", 20);
        unknown(2, Kind.DELETE, null, 25);
        add(2, Kind.WRITE, "v3", 26, 27, Outcome.FAIL);
        read(3, "v1", 30, 40);
        read(3, "v1", 900, 910);
        accepted();
    }

    @Test
    void anUnknownDeleteMayExplainAnAbsentRead() {
        write(1, "v1", 0, 10);
        unknown(2, Kind.DELETE, null, 20);
        read(3, null, 30, 40);
        accepted();
    }

    @Test
    void operationsTouchingAtOneInstantOverlap() {
        write(1, "v1", 0, 10);
        read(2, null, 10, 20); // invoked the instant the write completed: may go before it
        accepted();
    }

    @Test
    void anEmptyHistoryIsLinearizable() {
        CheckResult r = checker.check(new History(List.of()));
        assertThat(r.linearizable()).isTrue();
        assertThat(r.verdicts()).isEmpty();
    }

    // --- the budget

    @Test
    void aSearchBeyondItsStepBudgetIsUndecidedNotHung() {
        explodingHistory();
        KeyVerdict v = new LinearizabilityChecker(Duration.ofMinutes(1), 50_000).checkKey(KEY, ops);
        assertThat(v.result()).isEqualTo(KeyVerdict.Result.UNKNOWN_BUDGET_EXCEEDED);
        assertThat(v.steps()).isEqualTo(50_001);
        assertThat(v.explanation()).contains("undecided, search budget exceeded after 50001 steps");
    }

    @Test
    void aSearchBeyondItsTimeBudgetIsUndecidedNotHung() {
        explodingHistory();
        long start = System.nanoTime();
        KeyVerdict v = new LinearizabilityChecker(Duration.ofMillis(200), Long.MAX_VALUE).checkKey(KEY, ops);
        assertThat(v.result()).isEqualTo(KeyVerdict.Result.UNKNOWN_BUDGET_EXCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        CheckResult all = new CheckResult(List.of(v));
        assertThat(all.linearizable()).isFalse();
        assertThat(all.undecided()).containsExactly(v);
    }

    /**
     * Twenty-four concurrent writes, then a read of absent that no order explains: the search must try
     * every subset of the writes in every state before it can say no.
     */
    private void explodingHistory() {
        for (int i = 0; i < 24; i++) {
            write(i, "v" + i, 0, 100);
        }
        read(99, null, 200, 300);
    }

    // --- helpers

    private KeyVerdict rejected() {
        CheckResult r = checker.check(new History(ops));
        assertThat(r.linearizable()).as("%s", r).isFalse();
        assertThat(r.violations()).as("%s", r).hasSize(1);
        KeyVerdict v = r.violations().get(0);
        assertThat(v.key()).isEqualTo(KEY);
        assertThat(v.explanation()).startsWith("key \"" + KEY + "\": NOT linearizable");
        return v;
    }

    private KeyVerdict accepted() {
        CheckResult r = checker.check(new History(ops));
        assertThat(r.linearizable()).as("%s", r).isTrue();
        KeyVerdict v = r.verdicts().get(0);
        assertThat(v.linearization()).hasSize(v.operations());
        return v;
    }

    private Operation write(int client, String value, long from, long to) {
        return add(client, Kind.WRITE, value, from, to, Outcome.OK);
    }

    private Operation read(int client, String observed, long from, long to) {
        return add(client, Kind.READ, observed, from, to, Outcome.OK);
    }

    private Operation delete(int client, long from, long to) {
        return add(client, Kind.DELETE, null, from, to, Outcome.OK);
    }

    private Operation unknown(int client, Kind kind, String value, long from) {
        return add(client, kind, value, from, from + 5, Outcome.UNKNOWN);
    }

    private Operation add(int client, Kind kind, String value, long from, long to, Outcome outcome) {
        Operation op = new Operation(ops.size(), client, KEY, kind, value, from, to, outcome);
        ops.add(op);
        return op;
    }
}
