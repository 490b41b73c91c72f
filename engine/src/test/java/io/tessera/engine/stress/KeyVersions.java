package io.tessera.engine.stress;

import io.tessera.engine.ReadRange;
import io.tessera.engine.VersionIds;
import io.tessera.engine.testkit.ObjectImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a stress run knows of one key of the versioned bucket while several writers race on it: the
 * writes in flight (their contents known, their version ids not yet), and every version and delete
 * marker acknowledged, with its stamp (from its version id), the tick it was acknowledged at and the
 * ticks its removal began and ended at.
 *
 * <p>The engine promises that a key's version order is the order its writes committed. A write
 * acknowledged before a read began committed before it, so the read's current version, whatever it
 * is, committed after it (or is it): it must carry the newer stamp, unless its removal had begun
 * before the read ended. {@link #judgeCurrent} checks exactly that for every read of the current
 * version, besides its bytes.
 *
 * <p>Thread-safe.
 */
final class KeyVersions {
    static final long NEVER = Long.MAX_VALUE;

    /** A write begun and not yet acknowledged; {@code image} null: a delete marker. */
    static final class Write {
        final ObjectImage image;
        final String what;

        private Write(ObjectImage image, String what) {
            this.image = image;
            this.what = what;
        }

        @Override
        public String toString() {
            return what + (image == null ? " (marker)" : " (" + image.size() + " bytes)");
        }
    }

    /** A version or delete marker ({@code image} null) as acknowledged. */
    static final class Version {
        final String key;
        final String id;
        final long stamp;
        final ObjectImage image;
        final String what;
        final long acked;
        volatile long removalBegun = NEVER;
        volatile long removalEnded = NEVER;

        private Version(String key, String id, ObjectImage image, String what, long acked) {
            this.key = key;
            this.id = id;
            this.stamp = VersionIds.stampOf(id);
            this.image = image;
            this.what = what;
            this.acked = acked;
        }

        boolean marker() {
            return image == null;
        }

        boolean removing() {
            return removalBegun != NEVER;
        }

        @Override
        public String toString() {
            String removal = !removing() ? ""
                    : " removal@" + removalBegun + ".." + (removalEnded == NEVER ? "" : removalEnded);
            return what + " " + key + "@" + id + (marker() ? " marker" : " " + image.size() + " bytes") + " acked@"
                    + acked + removal;
        }
    }

    /** The key's write activity at one instant: whether a write ran meanwhile shows in {@code events}. */
    record Activity(long events, int inFlight) {
        /** No write but {@code own} events of the caller's ran between this and {@code later}. */
        boolean quietUntil(Activity later, int own) {
            return inFlight == 0 && later.events - events == own;
        }
    }

    /** What a read of the current version returned: a version, a delete marker, nothing, or a range refusal. */
    record Seen(String id, boolean marker, boolean absent) {
        static final Seen ABSENT = new Seen(null, false, true);

        @Override
        public String toString() {
            return absent ? "no version" : (marker ? "marker " : "version ") + id;
        }
    }

    private final String key;
    private final List<Write> inFlight = new ArrayList<>();
    /** Acknowledged, by id; removed ones stay until no read in progress or to come can concern them. */
    private final Map<String, Version> versions = new LinkedHashMap<>();
    private long events;
    private int removalsInFlight;

    KeyVersions(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    synchronized Write begin(ObjectImage image, String what) {
        Write w = new Write(image, what);
        inFlight.add(w);
        events++;
        return w;
    }

    /** The write committed as version {@code id}, acknowledged at {@code tick}. */
    synchronized Version ack(Write w, String id, long tick) {
        inFlight.remove(w);
        events++;
        Version v = new Version(key, id, w.image, w.what, tick);
        versions.put(id, v);
        return v;
    }

    /** The write was refused: it never took effect. */
    synchronized void abandon(Write w) {
        inFlight.remove(w);
        events++;
    }

    /**
     * Claims a version to remove (the newest when {@code newest}, else any), its removal beginning at
     * {@code tick}; null if none is left.
     */
    synchronized Version claimRemoval(Random rnd, boolean newest, long tick) {
        List<Version> free = new ArrayList<>();
        for (Version v : versions.values()) {
            if (!v.removing()) {
                free.add(v);
            }
        }
        if (free.isEmpty()) {
            return null;
        }
        Version v = newest ? free.stream().max(Comparator.comparingLong(x -> x.stamp)).orElseThrow()
                : free.get(rnd.nextInt(free.size()));
        claim(v, tick);
        return v;
    }

    /** Claims {@code v} for removal at {@code tick}; false if another writer claimed it first. */
    synchronized boolean claim(Version v, long tick) {
        if (v.removing()) {
            return false;
        }
        v.removalBegun = tick;
        removalsInFlight++;
        events++;
        return true;
    }

    synchronized void removalEnded(Version v, long tick) {
        v.removalEnded = tick;
        removalsInFlight--;
        events++;
    }

    synchronized Activity activity() {
        return new Activity(events, inFlight.size() + removalsInFlight);
    }

    /** An acknowledged version holding bytes that no writer is removing, to copy from; null if none. */
    synchronized Version copySource(Random rnd) {
        List<Version> objects = new ArrayList<>();
        for (Version v : versions.values()) {
            if (!v.marker() && !v.removing()) {
                objects.add(v);
            }
        }
        return objects.isEmpty() ? null : objects.get(rnd.nextInt(objects.size()));
    }

    /** What is wrong with a read: {@code lost} when it found nothing where a version must be. */
    record Finding(boolean lost, String what) {
        static Finding wrong(String what) {
            return new Finding(false, what);
        }
    }

    /**
     * Judges a read of the current version that began at {@code begun}, ended at {@code ended} and saw
     * {@code seen} (null for a range refusal, which names no version) with {@code outcome}: null if the
     * engine's answer is possible, else what is wrong with it.
     */
    synchronized Finding judgeCurrent(long begun, long ended, Seen seen, Outcome outcome, ReadRange range) {
        if (seen == null) { // a range refusal: some version that may have been current must explain it
            for (Version v : versions.values()) {
                if (!v.marker() && v.removalEnded >= begun && outcome.explainedBy(v.image, range)) {
                    return null;
                }
            }
            for (Write w : inFlight) {
                if (w.image != null && outcome.explainedBy(w.image, range)) {
                    return null;
                }
            }
            return Finding.wrong(outcome + " that no version of " + key + " explains");
        }
        if (seen.absent()) { // a NoSuchKey naming no marker: the key holds nothing
            for (Version v : versions.values()) {
                if (v.acked < begun && v.removalBegun > ended) {
                    return new Finding(!v.marker(), "no version, though " + v + " was acknowledged before the read"
                            + " began and not removed");
                }
            }
            return null;
        }
        Version got = versions.get(seen.id());
        if (got != null) {
            if (got.marker() != seen.marker()) {
                return Finding.wrong(seen + " is " + got);
            }
            if (got.removalEnded < begun) {
                return Finding.wrong(seen + ", removed before the read began: " + got);
            }
            if (!got.marker() && !outcome.explainedBy(got.image, range)) {
                return Finding.wrong(outcome + " is not " + range + " of " + got);
            }
        } else if (!explainedByWriteInFlight(seen, outcome, range)) {
            return Finding.wrong(seen + " with " + outcome + " is no version acknowledged or in flight");
        }
        long stamp = VersionIds.stampOf(seen.id());
        for (Version v : versions.values()) {
            if (v != got && v.acked < begun && v.removalBegun > ended && v.stamp > stamp) {
                return Finding.wrong("version order is not commit order: the key read as " + seen + " (stamp " + stamp
                        + "), though " + v + " (stamp " + v.stamp + "), acknowledged before the read began and not"
                        + " removed, is newer");
            }
        }
        return null;
    }

    private boolean explainedByWriteInFlight(Seen seen, Outcome outcome, ReadRange range) {
        for (Write w : inFlight) {
            if (seen.marker() ? w.image == null : w.image != null && outcome.explainedBy(w.image, range)) {
                return true;
            }
        }
        return false;
    }

    /** Forgets removed versions that no read beginning at or after {@code oldestRead} may concern. */
    synchronized void prune(long oldestRead) {
        for (Iterator<Version> it = versions.values().iterator(); it.hasNext(); ) {
            if (it.next().removalEnded < oldestRead) {
                it.remove();
            }
        }
    }

    /** The versions not removed, newest stamp first (what ListObjectVersions must list once writers stopped). */
    synchronized List<Version> surviving() {
        List<Version> out = new ArrayList<>();
        for (Version v : versions.values()) {
            if (!v.removing()) {
                out.add(v);
            }
        }
        out.sort(Comparator.comparingLong((Version v) -> v.stamp).reversed());
        return out;
    }

    /** Writes begun and never acknowledged nor refused (a write that failed with an error). */
    synchronized List<Write> inFlight() {
        return List.copyOf(inFlight);
    }
}
