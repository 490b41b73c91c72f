package io.tessera.server.jepsen;

import java.util.List;

/**
 * What {@link LinearizabilityChecker} found for one key. Immutable.
 *
 * @param key the key
 * @param result linearizable, not, or undecided within the budget
 * @param operations how many of the key's operations the search considered (failed operations and
 *     unanswered reads constrain nothing and are left out)
 * @param steps how many search steps it took
 * @param linearization when linearizable, an order of the operations considered that explains every
 *     answer (an unknown operation placed after every acknowledged one may as well never have happened);
 *     otherwise the longest prefix of one that the search found
 * @param explanation one line when linearizable; otherwise the report: the longest linearization
 *     found, the operation that none extends past, and the operations open at that point
 */
public record KeyVerdict(String key, Result result, int operations, long steps, List<Operation> linearization,
        String explanation) {

    /** The answer of the search for one key. */
    public enum Result {
        /** Some order of the operations, each within its interval, explains every answer. */
        LINEARIZABLE,
        /** No such order exists. */
        NOT_LINEARIZABLE,
        /** The per-key time or step budget ran out first: neither is proven. */
        UNKNOWN_BUDGET_EXCEEDED
    }

    public KeyVerdict {
        linearization = List.copyOf(linearization);
    }

    public boolean linearizable() {
        return result == Result.LINEARIZABLE;
    }
}
