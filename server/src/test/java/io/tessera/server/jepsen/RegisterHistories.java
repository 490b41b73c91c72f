package io.tessera.server.jepsen;

import io.tessera.server.jepsen.Operation.Kind;
import io.tessera.server.jepsen.Operation.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Histories that are linearizable by construction: clients run operations one after another with
 * random gaps and durations, so that they overlap at random; each operation takes effect on a real
 * register at a random instant inside its interval (an unknown one, maybe never or after its client gave
 * up; a failed one, never), and the instants, in order, decide what each read answers. Every written value
 * is unique. Stateless.
 */
final class RegisterHistories {
    /**
     * The shape of a generated history.
     *
     * @param clients how many clients run at once
     * @param operations how many operations in all
     * @param keys how many keys they spread over
     * @param unknownRate the share of operations with an unknown outcome
     * @param failRate the share of operations that fail
     * @param seed the seed of every random choice
     */
    record Shape(int clients, int operations, int keys, double unknownRate, double failRate, long seed) { }

    private RegisterHistories() {
    }

    /** A history of {@code shape} that a register produced. */
    static History generate(Shape shape) {
        Random rnd = new Random(shape.seed());
        long[] clientFreeAt = new long[shape.clients()];
        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < shape.operations(); i++) {
            int client = rnd.nextInt(shape.clients());
            String key = "k" + rnd.nextInt(shape.keys());
            int roll = rnd.nextInt(100);
            Kind kind = roll < 45 ? Kind.WRITE : roll < 90 ? Kind.READ : Kind.DELETE;
            long invoked = clientFreeAt[client] + rnd.nextInt(20);
            long duration = 1 + rnd.nextInt(60);
            long completed = invoked + duration;
            clientFreeAt[client] = completed;
            double outcomeRoll = rnd.nextDouble();
            Outcome outcome = outcomeRoll < shape.failRate() ? Outcome.FAIL
                    : outcomeRoll < shape.failRate() + shape.unknownRate() ? Outcome.UNKNOWN : Outcome.OK;
            long effect = switch (outcome) {
                case OK -> invoked + rnd.nextInt((int) duration + 1);
                case FAIL -> -1;
                case UNKNOWN -> rnd.nextBoolean() ? invoked + rnd.nextInt(3 * (int) duration + 1) : -1;
            };
            String value = kind == Kind.WRITE ? key + "@c" + client + "#" + i : null;
            planned.add(new Planned(i, client, key, kind, value, invoked, completed, outcome, effect));
        }
        Map<Integer, String> observed = run(planned);
        List<Operation> ops = new ArrayList<>();
        for (Planned p : planned) {
            String value = p.kind == Kind.READ ? observed.get(p.id) : p.value;
            ops.add(new Operation(p.id, p.client, p.key, p.kind, value, p.invoked, p.completed, p.outcome));
        }
        return new History(ops);
    }

    /** Applies the operations that take effect, in the order of their instants; answers each read's value. */
    private static Map<Integer, String> run(List<Planned> planned) {
        Map<String, String> register = new HashMap<>();
        Map<Integer, String> observed = new HashMap<>();
        planned.stream().filter(p -> p.effect >= 0)
                .sorted(Comparator.comparingLong((Planned p) -> p.effect).thenComparingInt(p -> p.id))
                .forEach(p -> {
                    switch (p.kind) {
                        case WRITE -> register.put(p.key, p.value);
                        case DELETE -> register.remove(p.key);
                        case READ -> {
                            if (p.outcome == Outcome.OK) {
                                observed.put(p.id, register.get(p.key));
                            }
                        }
                    }
                });
        return observed;
    }

    private record Planned(int id, int client, String key, Kind kind, String value, long invoked, long completed,
            Outcome outcome, long effect) { }
}
