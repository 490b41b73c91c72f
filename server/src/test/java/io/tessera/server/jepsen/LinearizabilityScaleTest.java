package io.tessera.server.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LinearizabilityChecker} at a campaign's scale: 10 000 operations over 50 keys from 8 clients,
 * with some unknown and failed outcomes, are checked in a few seconds, and one stale read among them is
 * found and pinned to its key.
 */
class LinearizabilityScaleTest {
    private static final RegisterHistories.Shape CAMPAIGN = new RegisterHistories.Shape(8, 10_000, 50, 0.03, 0.01, 16);
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    @Test
    void tenThousandOperationsOverFiftyKeysCheckInAFewSeconds() {
        History h = RegisterHistories.generate(CAMPAIGN);
        long start = System.nanoTime();
        CheckResult r = checker.check(h);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("linearizability: %d operations (%d unknown), %d keys, %d steps, checked in %d ms%n",
                h.size(), h.count(Operation.Outcome.UNKNOWN), r.verdicts().size(),
                r.verdicts().stream().mapToLong(KeyVerdict::steps).sum(), took.toMillis());
        assertThat(r.linearizable()).as("%s", r).isTrue();
        assertThat(r.verdicts()).hasSize(50);
        assertThat(took).isLessThan(FEW_SECONDS);
    }

    @Test
    void oneStaleReadAmongTenThousandOperationsIsFound() {
        History h = RegisterHistories.generate(CAMPAIGN);
        List<Operation> ops = new ArrayList<>(h.operations());
        // The last read of some key that follows two acknowledged writes of it, set to the older one.
        Operation stale = null;
        for (int i = ops.size() - 1; i >= 0 && stale == null; i--) {
            Operation r = ops.get(i);
            if (r.isObservingRead()) {
                stale = staleVersionOf(r, ops);
                if (stale != null) {
                    ops.set(i, stale);
                }
            }
        }
        assertThat(stale).isNotNull();

        long start = System.nanoTime();
        CheckResult r = checker.check(new History(ops));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FEW_SECONDS);
        assertThat(r.violations()).extracting(KeyVerdict::key).containsExactly(stale.key());
        assertThat(r.report()).contains("49 linearizable, 1 not, 0 undecided");
    }

    /** {@code read} answering the value of a write overwritten before the read began, or null if none was. */
    private static Operation staleVersionOf(Operation read, List<Operation> ops) {
        for (Operation w1 : ops) {
            if (w1.key().equals(read.key()) && w1.kind() == Operation.Kind.WRITE && w1.outcome() == Operation.Outcome.OK
                    && !w1.value().equals(read.value())) {
                for (Operation w2 : ops) {
                    if (w2.key().equals(read.key()) && w2.kind() == Operation.Kind.WRITE
                            && w2.outcome() == Operation.Outcome.OK && w1.completedNanos() < w2.invokedNanos()
                            && w2.completedNanos() < read.invokedNanos()) {
                        return new Operation(read.id(), read.client(), read.key(), read.kind(), w1.value(),
                                read.invokedNanos(), read.completedNanos(), read.outcome());
                    }
                }
            }
        }
        return null;
    }
}
