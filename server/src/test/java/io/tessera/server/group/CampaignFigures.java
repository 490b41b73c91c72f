package io.tessera.server.group;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link GroupCampaign} did and found: the faults the nemesis injected, the client operations and
 * their outcomes, and the verdicts of the final checks, printed as one line a closing note can quote.
 *
 * <p>Thread-safe: every figure is an atomic counter.
 */
final class CampaignFigures {
    final AtomicLong kills = new AtomicLong();
    final AtomicLong cuts = new AtomicLong();
    final AtomicLong oneWayDrops = new AtomicLong();
    final AtomicLong delays = new AtomicLong();
    /** Faults that left no majority (two members down or cut at once). */
    final AtomicLong doubleFaults = new AtomicLong();
    /** The longest wait, after a double fault was lifted, until a write succeeded again. */
    final AtomicLong longestResumptionMillis = new AtomicLong();
    final AtomicLong completes = new AtomicLong();
    final AtomicLong aborts = new AtomicLong();
    /** Aborts answered 204 after which ListParts on the same member still listed the upload. */
    final AtomicLong abortsNotFinal = new AtomicLong();
    /** Bodies read back that were not exactly the body of the value they named. */
    final AtomicLong corruptReads = new AtomicLong();
    final AtomicLong serviceUnavailable = new AtomicLong();
    final AtomicLong operations = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong unknown = new AtomicLong();
    /** Keys whose final value was decided by an acknowledged write (or delete) and so checked on every member. */
    final AtomicLong acknowledgedChecked = new AtomicLong();
    final AtomicLong acknowledgedLost = new AtomicLong();
    final AtomicLong violations = new AtomicLong();
    final AtomicLong undecidedKeys = new AtomicLong();

    void resumedAfter(long millis) {
        longestResumptionMillis.accumulateAndGet(millis, Math::max);
    }

    /** The figures in one line. */
    String line(long seconds, int clients) {
        return String.format(Locale.ROOT, "group campaign: %d s, %d clients, operations %d (ok %d, fail %d, unknown %d;"
                        + " 503s %d), completes %d, aborts %d; kills %d, cuts %d, one-way drops %d, delays %d,"
                        + " double faults %d (writes resumed within %d ms); acknowledged writes checked %d, lost %d;"
                        + " corrupt reads %d; aborts not final %d; linearizability violations %d, undecided keys %d",
                seconds, clients, operations.get(), ok.get(), failed.get(), unknown.get(), serviceUnavailable.get(),
                completes.get(), aborts.get(), kills.get(), cuts.get(), oneWayDrops.get(), delays.get(),
                doubleFaults.get(), longestResumptionMillis.get(), acknowledgedChecked.get(), acknowledgedLost.get(),
                corruptReads.get(), abortsNotFinal.get(), violations.get(), undecidedKeys.get());
    }
}
