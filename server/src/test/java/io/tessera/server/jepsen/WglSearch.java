package io.tessera.server.jepsen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The Wing-Gong search with Lowe's memoisation (WGL, as Knossos and Porcupine run it) for the
 * operations of one key on a register: a value, or absent, initially absent.
 *
 * <p>The invocations and completions, in time order, form a doubly linked list. The search walks it
 * from the front: an invocation whose operation the register allows in the current state is linearized
 * (lifted out of the list with its completion, its state change applied, pushed on a stack), and the
 * walk restarts at the front; reaching a completion means its operation should already have been
 * linearized, so the last choice is undone and the walk goes on past it. The list emptied is a
 * linearization; a completion reached with an empty stack proves there is none. A (set of linearized
 * operations, state) pair seen before is never explored again, which bounds the work by the number of
 * such pairs. An operation with an unknown outcome completes at the end of time: it may be linearized
 * anywhere after its invocation, and last amounts to never.
 *
 * <p>One register-specific shortcut keeps wide windows of concurrent operations tractable: a pending
 * read that the current state answers is linearized at once and never revisited ({@link #closeReads()}).
 *
 * <p>Sound simplification before the search: an unknown write (or delete) whose value (or absence) no
 * read reports is left out, since nothing could tell it happened. Failed operations and reads without
 * an answer constrain nothing and are left out too.
 *
 * <p>Not thread-safe: one search per instance, run once.
 */
final class WglSearch {
    private static final int NIL = -1;
    /** What {@link #backtrack()} answers when there is no choice left to undo. */
    private static final int NO_CHOICE_LEFT = -2;
    /** State number of "absent"; values get 1, 2, ... */
    private static final int ABSENT = 0;
    private static final int NOT_ALLOWED = -1;
    private static final int MAX_LISTED = 24;

    private final String key;
    private final List<Operation> ops;
    private final int n;
    private final long origin;
    /** Per operation: the state a write or delete sets, or the state a read saw. */
    private final int[] value;
    private final boolean[] isRead;
    private final long[] zobrist;
    /** Per list node (2n of them, then the head): links, operation, whether it is an invocation. */
    private final int[] next;
    private final int[] prev;
    private final int[] opOf;
    private final boolean[] isCall;
    private final int[] returnOf;
    private final int head;

    /** The search: the linearized set (bits and its hash), the stack of choices, the register's state. */
    private final long[] bits;
    private long bitsHash;
    private final int[] stackCall;
    private final int[] stackState;
    private final boolean[] stackForced;
    private int depth;
    private int state = ABSENT;
    private final Set<Memo> seen = new HashSet<>();
    private final Memo probe;

    private int bestDepth = -1;
    private int[] bestPrefix = new int[0];
    private int bestState;
    private int stuckAt = NIL;

    WglSearch(String key, List<Operation> keyOps) {
        this.key = key;
        this.origin = keyOps.stream().mapToLong(Operation::invokedNanos).min().orElse(0);
        this.ops = considered(keyOps);
        this.n = ops.size();
        this.value = new int[n];
        this.isRead = new boolean[n];
        this.zobrist = new long[n];
        Map<String, Integer> ids = new HashMap<>();
        Random random = new Random(n);
        for (int i = 0; i < n; i++) {
            Operation op = ops.get(i);
            isRead[i] = op.kind() == Operation.Kind.READ;
            value[i] = op.value() == null ? ABSENT : ids.computeIfAbsent(op.value(), v -> ids.size() + 1);
            zobrist[i] = random.nextLong();
        }
        this.bits = new long[(n + 63) / 64];
        this.probe = new Memo(bits);
        this.stackCall = new int[n];
        this.stackState = new int[n];
        this.stackForced = new boolean[n];
        this.head = 2 * n;
        this.next = new int[2 * n + 1];
        this.prev = new int[2 * n + 1];
        this.opOf = new int[2 * n];
        this.isCall = new boolean[2 * n];
        this.returnOf = new int[2 * n];
        link();
    }

    /** The operations that constrain the register: see the class comment. */
    private static List<Operation> considered(List<Operation> keyOps) {
        Set<String> observed = new HashSet<>();
        boolean absenceObserved = false;
        for (Operation op : keyOps) {
            if (op.isObservingRead()) {
                if (op.value() == null) {
                    absenceObserved = true;
                } else {
                    observed.add(op.value());
                }
            }
        }
        List<Operation> kept = new ArrayList<>();
        for (Operation op : keyOps) {
            boolean keep = switch (op.outcome()) {
                case FAIL -> false;
                case OK -> true;
                case UNKNOWN -> switch (op.kind()) {
                    case READ -> false;
                    case WRITE -> observed.contains(op.value());
                    case DELETE -> absenceObserved;
                };
            };
            if (keep) {
                kept.add(op);
            }
        }
        return kept;
    }

    /** Orders invocations and completions by time (an invocation first on a tie: they overlap) and links them. */
    private void link() {
        long[] time = new long[2 * n];
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < n; i++) {
            Operation op = ops.get(i);
            time[2 * i] = op.invokedNanos();
            time[2 * i + 1] = op.outcome() == Operation.Outcome.OK ? op.completedNanos() : Long.MAX_VALUE;
            order[2 * i] = 2 * i;
            order[2 * i + 1] = 2 * i + 1;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(e -> time[e]).thenComparingInt(e -> e % 2));
        int[] nodeOfCall = new int[n];
        int[] nodeOfReturn = new int[n];
        for (int node = 0; node < 2 * n; node++) {
            int e = order[node];
            opOf[node] = e / 2;
            isCall[node] = e % 2 == 0;
            if (isCall[node]) {
                nodeOfCall[e / 2] = node;
            } else {
                nodeOfReturn[e / 2] = node;
            }
        }
        for (int i = 0; i < n; i++) {
            returnOf[nodeOfCall[i]] = nodeOfReturn[i];
        }
        for (int node = 0; node < 2 * n; node++) {
            next[node] = node + 1 < 2 * n ? node + 1 : NIL;
            prev[node] = node == 0 ? head : node - 1;
        }
        next[head] = n == 0 ? NIL : 0;
        prev[head] = NIL;
    }

    /** The state after operation {@code op} in {@code state}, or {@link #NOT_ALLOWED}. */
    private int step(int state, int op) {
        if (isRead[op]) {
            return state == value[op] ? state : NOT_ALLOWED;
        }
        return value[op];
    }

    /** Removes an invocation and its completion from the list. */
    private void lift(int call) {
        next[prev[call]] = next[call];
        prev[next[call]] = prev[call]; // an invocation is never last: its completion follows
        int ret = returnOf[call];
        next[prev[ret]] = next[ret];
        if (next[ret] != NIL) {
            prev[next[ret]] = prev[ret];
        }
    }

    /** Puts back what {@link #lift} removed; calls are undone in the reverse order. */
    private void unlift(int call) {
        int ret = returnOf[call];
        next[prev[ret]] = ret;
        if (next[ret] != NIL) {
            prev[next[ret]] = ret;
        }
        next[prev[call]] = call;
        prev[next[call]] = call;
    }

    /** Runs the search within {@code maxSteps} steps and until {@code deadlineNanos} ({@link System#nanoTime()}). */
    KeyVerdict run(long maxSteps, long deadlineNanos) {
        long steps = 0;
        closeReads();
        int entry = next[head];
        while (next[head] != NIL) {
            steps++;
            if (steps > maxSteps || ((steps & 1023) == 0 && System.nanoTime() > deadlineNanos)) {
                return budgetExceeded(steps, seen.size());
            }
            if (isCall[entry]) {
                int op = opOf[entry];
                int after = step(state, op);
                if (after != NOT_ALLOWED && linearize(entry, after, false)) {
                    // A configuration reached before was explored then: going on from it again is futile.
                    entry = !closeReads() || firstVisit() ? next[head] : backtrack();
                } else {
                    entry = next[entry];
                }
            } else {
                // The operation completing here must come before it, and nothing else could: back up.
                noteStuck(entry);
                entry = backtrack();
            }
            if (entry == NO_CHOICE_LEFT) {
                return notLinearizable(steps);
            }
        }
        List<Operation> order = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            order.add(ops.get(opOf[stackCall[i]]));
        }
        return new KeyVerdict(key, KeyVerdict.Result.LINEARIZABLE, n, steps, order,
                String.format("key \"%s\": linearizable (%d operations, %d steps)", key, n, steps));
    }

    /**
     * Linearizes the operation of invocation {@code call}, leaving the register in {@code after}, unless
     * that (set, state) configuration was explored before (false then, and nothing changes). A forced step
     * is never memoised on its own: see {@link #closeReads()}.
     */
    private boolean linearize(int call, int after, boolean forced) {
        int op = opOf[call];
        flip(op);
        if (!forced && !firstVisit(after)) {
            flip(op);
            return false;
        }
        stackCall[depth] = call;
        stackState[depth] = state;
        stackForced[depth] = forced;
        depth++;
        state = after;
        lift(call);
        return true;
    }

    /**
     * Linearizes every pending read that the current state answers. That is never a wrong turn: reads
     * change nothing, so any linearization from here that places such a read later stays one with the read
     * moved here. Hence a forced read is not a choice to revisit: backing up over it backs up further.
     * Answers whether any read was linearized.
     */
    private boolean closeReads() {
        boolean any = false;
        int e = next[head];
        while (e != NIL && isCall[e]) {
            int op = opOf[e];
            if (isRead[op] && value[op] == state) {
                linearize(e, state, true);
                any = true;
                e = next[head]; // its completion is gone: invocations behind it may now be pending too
            } else {
                e = next[e];
            }
        }
        return any;
    }

    /** Whether the current configuration is new, memoising it. */
    private boolean firstVisit() {
        return firstVisit(state);
    }

    private boolean firstVisit(int withState) {
        probe.set(bitsHash, withState);
        if (seen.contains(probe)) {
            return false;
        }
        seen.add(probe.copy());
        return true;
    }

    /**
     * Undoes the last choice (and the forced reads that followed it) and answers the entry where the walk
     * goes on, or {@link #NO_CHOICE_LEFT}: then no linearization exists.
     */
    private int backtrack() {
        while (depth > 0) {
            depth--;
            int call = stackCall[depth];
            state = stackState[depth];
            flip(opOf[call]);
            unlift(call);
            if (!stackForced[depth]) {
                return next[call];
            }
        }
        return NO_CHOICE_LEFT;
    }

    /** Adds or removes an operation from the linearized set. */
    private void flip(int op) {
        bits[op >>> 6] ^= 1L << op;
        bitsHash ^= zobrist[op];
    }

    private void noteStuck(int returnNode) {
        if (depth > bestDepth) {
            bestDepth = depth;
            bestPrefix = new int[depth];
            for (int i = 0; i < depth; i++) {
                bestPrefix[i] = opOf[stackCall[i]];
            }
            bestState = state;
            stuckAt = opOf[returnNode];
        }
    }

    private KeyVerdict budgetExceeded(long steps, int memoised) {
        String why = String.format("key \"%s\": undecided, search budget exceeded after %d steps (%d operations, "
                + "%d states memoised, longest linearization found: %d operations)", key, steps, n, memoised,
                Math.max(bestDepth, 0));
        return new KeyVerdict(key, KeyVerdict.Result.UNKNOWN_BUDGET_EXCEEDED, n, steps, prefix(), why);
    }

    private List<Operation> prefix() {
        List<Operation> p = new ArrayList<>();
        for (int op : bestPrefix) {
            p.add(ops.get(op));
        }
        return p;
    }

    private KeyVerdict notLinearizable(long steps) {
        List<Operation> prefix = prefix();
        Operation stuck = ops.get(stuckAt);
        StringBuilder s = new StringBuilder();
        s.append(String.format("key \"%s\": NOT linearizable (%d operations, %d steps)%n", key, n, steps));
        s.append(String.format("  longest linearization found: %d operations, leaving the register %s%n",
                prefix.size(), stateName(bestState)));
        int from = Math.max(0, prefix.size() - MAX_LISTED / 2);
        if (from > 0) {
            s.append(String.format("    ... %d earlier operations%n", from));
        }
        for (Operation op : prefix.subList(from, prefix.size())) {
            s.append("    ").append(op.describe(origin)).append('\n');
        }
        s.append("  no operation can come next before this one completes:\n");
        s.append("    ").append(stuck.describe(origin)).append('\n');
        String ghost = neverWritten(stuck);
        if (ghost != null) {
            s.append("    (").append(ghost).append(")\n");
        }
        s.append("  operations open then (invoked before it completed, not linearized):\n");
        Set<Operation> done = new HashSet<>(prefix);
        List<Operation> open = ops.stream()
                .filter(op -> !done.contains(op) && op.invokedNanos() <= stuck.completedNanos()).toList();
        for (Operation op : open.subList(0, Math.min(open.size(), MAX_LISTED))) {
            s.append("    ").append(op.describe(origin)).append('\n');
        }
        if (open.size() > MAX_LISTED) {
            s.append(String.format("    ... %d more%n", open.size() - MAX_LISTED));
        }
        return new KeyVerdict(key, KeyVerdict.Result.NOT_LINEARIZABLE, n, steps, prefix, s.toString().stripTrailing());
    }

    /** A note when {@code op} reads a value that no write considered here wrote, else null. */
    private String neverWritten(Operation op) {
        if (!op.isObservingRead() || op.value() == null) {
            return null;
        }
        boolean written = ops.stream().anyMatch(w -> w.kind() == Operation.Kind.WRITE && w.value().equals(op.value()));
        return written ? null : "it read a value that no acknowledged or possibly applied write of this key wrote";
    }

    private String stateName(int state) {
        if (state == ABSENT) {
            return "absent";
        }
        for (int i = 0; i < n; i++) {
            if (!isRead[i] && value[i] == state) {
                return '"' + ops.get(i).value() + '"';
            }
        }
        return "#" + state;
    }

    /**
     * A memoised (set of linearized operations, state) pair. The set's hash is kept up to date by xor of
     * a random number per operation, so a lookup costs no pass over the set unless the hashes collide.
     */
    private static final class Memo {
        private final long[] bits;
        private long hash;
        private int state;

        Memo(long[] bits) {
            this.bits = bits;
        }

        void set(long bitsHash, int newState) {
            this.hash = bitsHash * 31 + newState;
            this.state = newState;
        }

        Memo copy() {
            Memo m = new Memo(bits.clone());
            m.hash = hash;
            m.state = state;
            return m;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Memo m && m.hash == hash && m.state == state && Arrays.equals(m.bits, bits);
        }
    }
}
