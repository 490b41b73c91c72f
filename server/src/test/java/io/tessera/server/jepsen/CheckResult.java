package io.tessera.server.jepsen;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The verdicts of {@link LinearizabilityChecker} on every key of a history. Immutable.
 *
 * @param verdicts one per key, in key order
 */
public record CheckResult(List<KeyVerdict> verdicts) {

    public CheckResult {
        verdicts = List.copyOf(verdicts);
    }

    /** Whether every key was proven linearizable. */
    public boolean linearizable() {
        return verdicts.stream().allMatch(KeyVerdict::linearizable);
    }

    /** The keys proven not linearizable. */
    public List<KeyVerdict> violations() {
        return withResult(KeyVerdict.Result.NOT_LINEARIZABLE);
    }

    /** The keys whose search ran out of budget. */
    public List<KeyVerdict> undecided() {
        return withResult(KeyVerdict.Result.UNKNOWN_BUDGET_EXCEEDED);
    }

    private List<KeyVerdict> withResult(KeyVerdict.Result r) {
        return verdicts.stream().filter(v -> v.result() == r).toList();
    }

    /** A summary line, followed by the explanation of every key that is not proven linearizable. */
    public String report() {
        long ops = verdicts.stream().mapToLong(KeyVerdict::operations).sum();
        String head = String.format("%d keys, %d operations: %d linearizable, %d not, %d undecided (budget exceeded)",
                verdicts.size(), ops, verdicts.size() - violations().size() - undecided().size(),
                violations().size(), undecided().size());
        String details = verdicts.stream().filter(v -> !v.linearizable()).map(KeyVerdict::explanation)
                .collect(Collectors.joining("\n"));
        return details.isEmpty() ? head : head + "\n" + details;
    }

    @Override
    public String toString() {
        return report();
    }
}
