package io.tessera.engine.stress;

import io.tessera.engine.EngineException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a stress run did and found. {@code errors} are failures no caller should ever see (CORRUPTION,
 * IO_ERROR, an unexpected code or exception); {@code lost} are acknowledged objects, uploads or parts
 * that a read did not find; {@code wrong} are reads that returned bytes of no version the key could
 * hold at the time. The first findings are kept verbatim for the report.
 *
 * <p>Thread-safe.
 */
final class Tally {
    private static final int KEPT = 40;

    final LongAdder operations = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    final LongAdder copies = new LongAdder();
    final LongAdder gcCycles = new LongAdder();
    final LongAdder slowDowns = new LongAdder();
    /** Refusals that the race at hand explains (NO_SUCH_UPLOAD after a concurrent abort...). */
    final LongAdder raceRefusals = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder wrong = new LongAdder();
    final LongAdder checkFailures = new LongAdder();
    private final Map<String, LongAdder> errorsByKind = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> findings = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

    void error(String where, Throwable t) {
        errors.increment();
        String kind = t instanceof EngineException e ? e.code().name() : t.getClass().getSimpleName();
        errorsByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        keep("ERROR " + where + ": " + t);
    }

    void lost(String what) {
        lost.increment();
        keep("LOST " + what);
    }

    void wrong(String what) {
        wrong.increment();
        keep("WRONG " + what);
    }

    /** fsck problems, garbage left after a full cycle, live bytes that do not add up. */
    void checkFailed(String what) {
        checkFailures.increment();
        keep("CHECK " + what);
    }

    private void keep(String finding) {
        if (kept.incrementAndGet() <= KEPT) {
            findings.add(finding);
        }
    }

    boolean clean() {
        return errors.sum() == 0 && lost.sum() == 0 && wrong.sum() == 0 && checkFailures.sum() == 0;
    }

    String summary() {
        Map<String, Long> kinds = new TreeMap<>();
        errorsByKind.forEach((k, v) -> kinds.put(k, v.sum()));
        return "operations=" + operations.sum() + " reads=" + reads.sum() + " (copies " + copies.sum() + ", "
                + (bytesRead.sum() >> 20) + " MiB) gcCycles=" + gcCycles.sum() + " slowDowns=" + slowDowns.sum()
                + " raceRefusals=" + raceRefusals.sum() + " errors=" + errors.sum() + (kinds.isEmpty() ? "" : " " + kinds)
                + " lost=" + lost.sum() + " wrong=" + wrong.sum() + " checkFailures=" + checkFailures.sum();
    }

    String findings() {
        StringBuilder s = new StringBuilder();
        findings.forEach(f -> s.append("\n  ").append(f));
        if (kept.get() > KEPT) {
            s.append("\n  ... and ").append(kept.get() - KEPT).append(" more");
        }
        return s.toString();
    }
}
