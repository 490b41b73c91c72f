package io.tessera.engine.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * What readers may see of one key while writers race on it. Each version is kept with the tick at
 * which its write began and the tick at which it was acknowledged (ticks come from one clock shared
 * by all threads; {@link #OPEN} while unacknowledged). A read that began at {@code rb} and ended at
 * {@code re} may return version V exactly when V began before {@code re} and no acknowledged version W
 * both began after V was acknowledged and was acknowledged before {@code rb}: W would then certainly
 * lie between V and the read (linearizability of a register). A null content is the key's absence.
 *
 * <p>Thread-safe.
 *
 * @param <C> what a version holds
 */
public final class VersionHistory<C> {
    public static final long OPEN = Long.MAX_VALUE;

    /** One version; {@code content} null means the key was absent (deleted). */
    public static final class Version<C> {
        private final C content;
        private final String label;
        private final long begun;
        private volatile long acked = OPEN;

        private Version(C content, String label, long begun) {
            this.content = content;
            this.label = label;
            this.begun = begun;
        }

        public C content() {
            return content;
        }

        public boolean absent() {
            return content == null;
        }

        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label + "[" + begun + ".." + (acked == OPEN ? "open" : Long.toString(acked)) + "]"
                    + (content == null ? " absent" : " " + content);
        }
    }

    private final List<Version<C>> versions = new ArrayList<>();

    /** A key whose state is settled: {@code content} (null: absent), acknowledged before any tick. */
    public VersionHistory(C content, String label) {
        settle(content, label);
    }

    /** A write of {@code content} (null: a delete) begins at {@code tick}. */
    public synchronized Version<C> begin(C content, String label, long tick) {
        Version<C> v = new Version<>(content, label, tick);
        versions.add(v);
        return v;
    }

    public synchronized void ack(Version<C> v, long tick) {
        v.acked = tick;
    }

    /** The write was refused: it never took effect. */
    public synchronized void refuse(Version<C> v) {
        versions.remove(v);
    }

    /** The versions a read spanning {@code [readBegun, readEnded]} may return. */
    public synchronized List<Version<C>> admissible(long readBegun, long readEnded) {
        long fence = fence(readBegun);
        List<Version<C>> out = new ArrayList<>();
        for (Version<C> v : versions) {
            if (v.begun < readEnded && v.acked >= fence) {
                out.add(v);
            }
        }
        return out;
    }

    /** What a read after every write ended may return. */
    public List<Version<C>> admissibleNow() {
        return admissible(OPEN - 1, OPEN - 1);
    }

    /** The latest begin among versions acknowledged before {@code tick}: older acks are superseded. */
    private long fence(long tick) {
        long fence = Long.MIN_VALUE;
        for (Version<C> v : versions) {
            if (v.acked < tick) {
                fence = Math.max(fence, v.begun);
            }
        }
        return fence;
    }

    /** Forgets versions that no read beginning at or after {@code oldestReadBegun} may return. */
    public synchronized void prune(long oldestReadBegun) {
        long fence = fence(oldestReadBegun);
        versions.removeIf(v -> v.acked < fence);
    }

    /** Replaces the history with one settled version (after a crash showed which one survived). */
    public synchronized void settle(C content, String label) {
        versions.clear();
        Version<C> v = new Version<>(content, label, 0);
        v.acked = 0;
        versions.add(v);
    }

    public synchronized List<Version<C>> all() {
        return List.copyOf(versions);
    }
}
