package io.tessera.server.jepsen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that each key's operations in a {@link History} are linearizable as a register (S3 promises
 * per-key linearizability, nothing across keys): there is one order of the operations, each placed
 * between its invocation and its completion (an unknown outcome anywhere after its invocation, or
 * never; a failed one never), in which every read answers the value of the last write before it, or
 * absent before any write or after a delete. Each key is searched with {@link WglSearch}, within a time
 * and a step budget per key; a key whose search runs out is reported undecided, never hung on.
 *
 * <p>For a failing key the verdict explains where: the longest linearization found, the operation none
 * extends past and the operations open at that point.
 *
 * <p>Thread-safe (stateless).
 */
public final class LinearizabilityChecker {
    /** The default budget per key: ten seconds. */
    public static final Duration DEFAULT_TIME_PER_KEY = Duration.ofSeconds(10);
    /** The default budget per key: ten million search steps. */
    public static final long DEFAULT_STEPS_PER_KEY = 10_000_000;

    private final Duration timePerKey;
    private final long stepsPerKey;

    /** A checker with the default budgets. */
    public LinearizabilityChecker() {
        this(DEFAULT_TIME_PER_KEY, DEFAULT_STEPS_PER_KEY);
    }

    /** A checker that gives each key at most {@code timePerKey} and {@code stepsPerKey} steps. */
    public LinearizabilityChecker(Duration timePerKey, long stepsPerKey) {
        if (timePerKey.isNegative() || timePerKey.isZero() || stepsPerKey <= 0) {
            throw new IllegalArgumentException("budgets must be positive: " + timePerKey + ", " + stepsPerKey);
        }
        this.timePerKey = timePerKey;
        this.stepsPerKey = stepsPerKey;
    }

    /** Checks every key of {@code history}. */
    public CheckResult check(History history) {
        List<KeyVerdict> verdicts = new ArrayList<>();
        for (Map.Entry<String, List<Operation>> e : history.byKey().entrySet()) {
            verdicts.add(checkKey(e.getKey(), e.getValue()));
        }
        return new CheckResult(verdicts);
    }

    /** Checks the operations of one key (all of them must be of {@code key}). */
    public KeyVerdict checkKey(String key, List<Operation> operations) {
        for (Operation op : operations) {
            if (!op.key().equals(key)) {
                throw new IllegalArgumentException("operation " + op.id() + " is of key " + op.key() + ", not " + key);
            }
        }
        return new WglSearch(key, operations).run(stepsPerKey, System.nanoTime() + timePerKey.toNanos());
    }
}
