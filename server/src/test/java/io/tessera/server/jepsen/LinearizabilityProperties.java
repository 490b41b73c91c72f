package io.tessera.server.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.jepsen.Operation.Kind;
import io.tessera.server.jepsen.Operation.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link LinearizabilityChecker} against histories a real register produced ({@link RegisterHistories}):
 * it accepts every one, and rejects every one in which a single read was changed to answer something
 * impossible: a value overwritten before the read began (stale), a value written only after the read
 * ended (from the future), or a value nobody wrote. And on small histories of any shape (values repeated,
 * instants shared, outcomes mixed) it agrees with a search of every order there is.
 */
class LinearizabilityProperties {
    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    /** How a read was made impossible. */
    enum Mutation { STALE, FROM_THE_FUTURE, NEVER_WRITTEN }

    @Provide
    Arbitrary<RegisterHistories.Shape> shapes() {
        return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(5, 80),
                Arbitraries.integers().between(1, 3), Arbitraries.doubles().between(0, 0.25),
                Arbitraries.doubles().between(0, 0.1), Arbitraries.longs())
                .as(RegisterHistories.Shape::new);
    }

    @Property(tries = 400)
    void historiesOfARealRegisterAreLinearizable(@ForAll("shapes") RegisterHistories.Shape shape) {
        History h = RegisterHistories.generate(shape);
        CheckResult r = checker.check(h);
        assertThat(r.linearizable()).as("%s\n%s", shape, r).isTrue();
    }

    @Property(tries = 400)
    void oneImpossibleReadMakesItsKeyNotLinearizable(@ForAll("shapes") RegisterHistories.Shape shape,
            @ForAll long choice) {
        History h = RegisterHistories.generate(shape);
        Random rnd = new Random(choice);
        List<Operation> reads = new ArrayList<>(h.operations().stream().filter(Operation::isObservingRead).toList());
        Assume.that(!reads.isEmpty());
        Operation read = reads.get(rnd.nextInt(reads.size()));
        List<Mutation> kinds = new ArrayList<>(List.of(Mutation.values()));
        Collections.shuffle(kinds, rnd);
        for (Mutation m : kinds) {
            Optional<String> impossible = impossibleValue(h, read, m, rnd);
            if (impossible.isPresent()) {
                Statistics.collect(m);
                History mutated = replace(h, read, impossible.get());
                CheckResult r = checker.check(mutated);
                assertThat(r.violations()).as("%s, %s of %s to %s\n%s", shape, m, read, impossible.get(), r)
                        .extracting(KeyVerdict::key).containsExactly(read.key());
                assertThat(r.undecided()).isEmpty();
                return;
            }
        }
        throw new AssertionError("a value nobody wrote is always available");
    }

    @Provide
    Arbitrary<List<Operation>> smallHistories() {
        Arbitrary<Operation> op = Combinators.combine(Arbitraries.of(Kind.values()), Arbitraries.of("a", "b", "c"),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 4), Arbitraries.of(Outcome.OK, Outcome.OK, Outcome.OK, Outcome.UNKNOWN,
                        Outcome.FAIL), Arbitraries.integers().between(0, 3))
                .as((kind, v, c, from, length, outcome, absentRoll) -> new Operation(0, c, "k", kind,
                        kind == Kind.DELETE || kind == Kind.READ && (absentRoll == 0 || outcome != Outcome.OK) ? null : v,
                        from, from + length, outcome));
        return op.list().ofMinSize(1).ofMaxSize(7).map(LinearizabilityProperties::numbered);
    }

    @Property(tries = 2000)
    void agreesWithASearchOfEveryOrderOnSmallHistories(@ForAll("smallHistories") List<Operation> ops) {
        boolean expected = EveryOrder.linearizable(ops);
        Statistics.collect(expected ? "linearizable" : "not linearizable");
        KeyVerdict v = checker.checkKey("k", ops);
        assertThat(v.linearizable()).as("%s", v.explanation()).isEqualTo(expected);
    }

    private static List<Operation> numbered(List<Operation> ops) {
        List<Operation> out = new ArrayList<>();
        for (Operation o : ops) {
            out.add(new Operation(out.size(), o.client(), o.key(), o.kind(), o.value(), o.invokedNanos(),
                    o.completedNanos(), o.outcome()));
        }
        return out;
    }

    /** The definition, searched without cleverness: some subset of the unknown operations, in some order. */
    private static final class EveryOrder {
        static boolean linearizable(List<Operation> ops) {
            List<Operation> certain = ops.stream().filter(o -> o.outcome() == Outcome.OK).toList();
            List<Operation> maybe = ops.stream()
                    .filter(o -> o.outcome() == Outcome.UNKNOWN && o.kind() != Kind.READ).toList();
            for (int subset = 0; subset < 1 << maybe.size(); subset++) {
                List<Operation> chosen = new ArrayList<>(certain);
                for (int i = 0; i < maybe.size(); i++) {
                    if ((subset & 1 << i) != 0) {
                        chosen.add(maybe.get(i));
                    }
                }
                if (order(chosen, null)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the remaining operations have an order from a register holding {@code state}. */
        private static boolean order(List<Operation> remaining, String state) {
            if (remaining.isEmpty()) {
                return true;
            }
            for (Operation next : remaining) {
                // next may go first unless an acknowledged one completed before next was invoked
                boolean mayGoFirst = remaining.stream().noneMatch(o -> o.outcome() == Outcome.OK
                        && o.completedNanos() < next.invokedNanos());
                boolean allowed = next.kind() != Kind.READ || Objects.equals(next.value(), state);
                if (mayGoFirst && allowed) {
                    String after = switch (next.kind()) {
                        case WRITE -> next.value();
                        case DELETE -> null;
                        case READ -> state;
                    };
                    List<Operation> rest = new ArrayList<>(remaining);
                    rest.remove(next);
                    if (order(rest, after)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** A value {@code read} cannot have answered, made as {@code m} says, if the history allows it. */
    private static Optional<String> impossibleValue(History h, Operation read, Mutation m, Random rnd) {
        List<Operation> sameKey = h.operations().stream().filter(o -> o.key().equals(read.key())).toList();
        List<String> candidates = switch (m) {
            // Overwritten for sure: w1 completed before w2 began, and w2 completed before the read began.
            case STALE -> sameKey.stream()
                    .filter(w1 -> w1.kind() == Kind.WRITE && w1.outcome() == Outcome.OK && !w1.value().equals(read.value()))
                    .filter(w1 -> sameKey.stream().anyMatch(w2 -> w2.kind() != Kind.READ && w2.outcome() == Outcome.OK
                            && w1.completedNanos() < w2.invokedNanos() && w2.completedNanos() < read.invokedNanos()))
                    .map(Operation::value).toList();
            case FROM_THE_FUTURE -> sameKey.stream()
                    .filter(w -> w.kind() == Kind.WRITE && w.invokedNanos() > read.completedNanos())
                    .map(Operation::value).toList();
            case NEVER_WRITTEN -> List.of("never-written");
        };
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(rnd.nextInt(candidates.size())));
    }

    private static History replace(History h, Operation read, String value) {
        List<Operation> ops = new ArrayList<>(h.operations());
        ops.set(ops.indexOf(read), new Operation(read.id(), read.client(), read.key(), read.kind(), value,
                read.invokedNanos(), read.completedNanos(), read.outcome()));
        return new History(ops);
    }
}
