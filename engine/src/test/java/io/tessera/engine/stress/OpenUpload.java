package io.tessera.engine.stress;

import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.VersionHistory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * An upload that multipart tasks opened and none has certainly finished, with what the test knows
 * of its parts and who is working on it, so that a refusal can be told apart from a loss: a
 * NO_SUCH_UPLOAD is a race only while another task completes or aborts it, an INVALID_PART only
 * after part uploads overlapped the complete or each other.
 *
 * <p>Thread-safe.
 */
final class OpenUpload {
    static final int PART_NUMBERS = 4;

    /** The version a Complete stands for, as its key's bookkeeping tracks it. */
    interface TrackedVersion {
        /**
         * A Complete that answered version {@code versionId} (null: the answer named none) returned at
         * {@code tick}; false when the bookkeeping needs a version id to acknowledge it.
         */
        boolean ack(String versionId, long tick);

        /** Every Complete standing for it was refused: it never happened. */
        void refuse();
    }

    /** A version of a key whose history a stress run keeps ({@link VersionHistory}): acknowledged by any answer. */
    static TrackedVersion tracked(VersionHistory<ObjectImage> history, VersionHistory.Version<ObjectImage> version) {
        return new TrackedVersion() {
            @Override
            public boolean ack(String versionId, long tick) {
                history.ack(version, tick);
                return true;
            }

            @Override
            public void refuse() {
                history.refuse(version);
            }
        };
    }

    /**
     * The version that Completes with one part list stand for. A repeated Complete succeeds by replaying
     * the commit of the first, which happened before either returned: so they share one version, begun
     * when the first began and acknowledged when the first of them returned (in a versioned bucket: the
     * first whose answer names the version, as a replay's does not).
     */
    static final class SharedComplete {
        final TrackedVersion version;
        private int holders;
        private boolean acked;

        private SharedComplete(TrackedVersion version) {
            this.version = version;
        }
    }

    /** A part as acknowledged; {@code ambiguous} when a racing upload of the same number may have replaced it. */
    record KnownPart(String etag, List<ObjectImage.Run> runs, long size, boolean ambiguous) {
    }

    final String id;
    final String key;
    final int keyIndex;
    /** Who completes or aborts it right now, and whether one of them succeeded. */
    final UploadClosing closing = new UploadClosing();
    /** A part whose bytes this test cannot describe landed (or may have): never complete it. */
    volatile boolean poisoned;
    private final Map<Integer, KnownPart> parts = new TreeMap<>();
    private final int[] flying = new int[PART_NUMBERS + 1];
    private final long[] starts = new long[PART_NUMBERS + 1];
    private long events;
    private final Map<String, SharedComplete> completes = new HashMap<>();

    OpenUpload(String id, String key, int keyIndex) {
        this.id = id;
        this.key = key;
        this.keyIndex = keyIndex;
    }

    /** A part upload of {@code number} starts; the token goes back to {@link #partEnded}. */
    synchronized long[] partStarting(int number) {
        events++;
        return new long[] {starts[number]++, flying[number]++};
    }

    /**
     * The part upload ended, acknowledged ({@code etag} not null) or not. Landing here, in the order
     * the uploads ended, keeps the latest known part the one the engine holds, unless another upload of
     * the same number overlapped this one: then the part is marked ambiguous.
     */
    synchronized void partEnded(int number, long[] token, String etag, List<ObjectImage.Run> runs, long size) {
        events++;
        flying[number]--;
        boolean overlapped = token[1] > 0 || starts[number] != token[0] + 1;
        if (etag != null) {
            parts.put(number, new KnownPart(etag, runs, size, overlapped));
        } else if (overlapped && parts.containsKey(number)) {
            KnownPart k = parts.get(number);
            parts.put(number, new KnownPart(k.etag(), k.runs(), k.size(), true));
        }
    }

    /** A Complete with {@code partList} starts: joins the version of its twins, or begins one. */
    synchronized SharedComplete completeStarting(String partList, Supplier<TrackedVersion> begin) {
        SharedComplete c = completes.computeIfAbsent(partList, k -> new SharedComplete(begin.get()));
        c.holders++;
        return c;
    }

    /** A Complete returned success, answering {@code versionId}: the first that can acknowledges the shared version. */
    synchronized void completeSucceeded(SharedComplete c, String versionId, long tick) {
        if (!c.acked && c.version.ack(versionId, tick)) {
            c.acked = true;
        }
    }

    /** A Complete ended; when every twin was refused, the version never happened. */
    synchronized void completeEnded(String partList, SharedComplete c) {
        if (--c.holders == 0 && !c.acked) {
            completes.remove(partList);
            c.version.refuse();
        }
    }

    synchronized Map<Integer, KnownPart> parts() {
        return new TreeMap<>(parts);
    }

    /** Part uploads started plus ended so far: unchanged between two calls means no part activity. */
    synchronized long partEvents() {
        return events;
    }

    synchronized boolean partsInFlight() {
        for (int f : flying) {
            if (f > 0) {
                return true;
            }
        }
        return false;
    }
}
