package io.tessera.server.jepsen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operations of a run, as a {@link HistoryRecorder} saw them or as a test wrote them down, ordered
 * by id. Immutable.
 */
public final class History {
    private final List<Operation> operations;

    public History(List<Operation> operations) {
        List<Operation> sorted = new ArrayList<>(operations);
        sorted.sort(Comparator.comparingLong(Operation::id));
        this.operations = List.copyOf(sorted);
    }

    /** Every operation, by id. */
    public List<Operation> operations() {
        return operations;
    }

    /** The operations of each key, keys in order, each list by id. */
    public Map<String, List<Operation>> byKey() {
        Map<String, List<Operation>> keys = new TreeMap<>();
        for (Operation op : operations) {
            keys.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        return keys;
    }

    public int size() {
        return operations.size();
    }

    /** How many operations had {@code outcome}. */
    public long count(Operation.Outcome outcome) {
        return operations.stream().filter(o -> o.outcome() == outcome).count();
    }
}
