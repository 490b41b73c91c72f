package io.tessera.engine.stress;

import io.tessera.engine.CopyResult;
import io.tessera.engine.DeleteOutcome;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ListVersionsQuery;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.ObjectVersion;
import io.tessera.engine.PutOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.VersionListing;
import io.tessera.engine.VersioningState;
import io.tessera.engine.testkit.BodyPattern;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.TestEngines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * The versioned bucket of a stress run: a few keys that every writer races on with puts (small and
 * large), copies from other versions, Completes (the multipart tasks open uploads here too), delete
 * markers, removals of versions by id, and "undeletes": a delete marker removed by its id right after
 * it was added. Each key's bookkeeping ({@link KeyVersions}) knows the versions acknowledged and the
 * writes in flight, and judges every read of a key's current version: its bytes, and that it is the
 * newest by stamp of the versions acknowledged before the read, which holds only if version order is
 * commit order. An undelete during which no other write of the key ran must bring back exactly what
 * the key read as right before the marker. Reads by id must return exactly that version's bytes, or
 * NO_SUCH_VERSION only once its removal has begun. Once writers stopped, ListObjectVersions must list
 * each key's surviving versions, newest stamp first.
 *
 * <p>Thread-safe.
 */
final class VersionedKeys {
    static final String BUCKET = "v";
    static final String KEY_PREFIX = "v";
    private static final int KEY_INDEX_BASE = 100;
    /** Versions per key whose bytes the end check reads back by id (all are checked by listing and head). */
    private static final int READ_BACK = 16;
    /** The bookkeeping events of an undelete itself: the marker begun and acknowledged, its removal begun and ended. */
    private static final int UNDELETE_EVENTS = 4;

    private final StressWorld world;
    final List<String> keys = new ArrayList<>();
    private final Map<String, KeyVersions> byKey = new LinkedHashMap<>();
    /** Every version ever acknowledged, for readers to ask for by id; guarded by itself. */
    private final List<KeyVersions.Version> acknowledged = new ArrayList<>();
    private final LongAdder readsById = new LongAdder();
    private final LongAdder readsOfRemoved = new LongAdder();
    private final LongAdder currentReads = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder copies = new LongAdder();
    private final LongAdder completes = new LongAdder();
    private final LongAdder undeletesChecked = new LongAdder();
    private final LongAdder undeletesRaced = new LongAdder();

    VersionedKeys(StressWorld world, int keyCount) {
        this.world = world;
        world.engine.createBucket(BUCKET, TestEngines.OWNER);
        world.engine.setBucketVersioning(BUCKET, VersioningState.ENABLED);
        for (int i = 0; i < keyCount; i++) {
            String key = KEY_PREFIX + i;
            keys.add(key);
            byKey.put(key, new KeyVersions(key));
        }
    }

    String randomKey(Random rnd) {
        return keys.get(rnd.nextInt(keys.size()));
    }

    boolean holds(String key) {
        return byKey.containsKey(key);
    }

    /** The index the bodies written to a versioned key carry. */
    static int keyIndex(String key) {
        return KEY_INDEX_BASE + Integer.parseInt(key.substring(KEY_PREFIX.length()));
    }

    /** One write by {@code writer} on a random key: a put of {@code size} bytes or one of the others above. */
    void write(String writer, Random rnd, int size) {
        KeyVersions k = byKey.get(randomKey(rnd));
        int dice = rnd.nextInt(100);
        boolean ok;
        if (dice < 10) {
            ok = deleteMarker(writer, k);
        } else if (dice < 28) {
            ok = undelete(writer, k, rnd);
        } else if (dice < 42) {
            ok = remove(writer, k, rnd);
        } else if (dice < 54) {
            ok = copy(writer, k, rnd);
        } else {
            ok = put(writer, k, rnd, size);
        }
        if (ok) {
            world.tally.operations.increment();
        }
        k.prune(world.ticks.oldestRead());
    }

    private boolean put(String writer, KeyVersions k, Random rnd, int size) {
        int keyIndex = keyIndex(k.key());
        long bodyId = world.newBody(writer + " versioned put of " + k.key());
        byte[] body = BodyPattern.body(bodyId, keyIndex, size);
        String how = writer + " versioned put of " + size + " bytes to " + k.key();
        KeyVersions.Write w = k.begin(ObjectImage.single(bodyId, keyIndex, size), how);
        ObjectInfo info;
        try {
            info = world.put(BUCKET, k.key(), body, rnd);
        } catch (EngineException e) {
            world.tally.error(how, e);
            return false;
        }
        if (info.versionId() == null || info.size() != size) {
            world.tally.wrong(how + " acknowledged version " + info.versionId() + " of " + info.size() + " bytes");
            return false;
        }
        ack(k, w, info.versionId());
        return true;
    }

    /** CopyObject of an acknowledged version (by id, of any versioned key) to {@code k}. */
    private boolean copy(String writer, KeyVersions k, Random rnd) {
        KeyVersions.Version from = byKey.get(randomKey(rnd)).copySource(rnd);
        if (from == null) {
            return put(writer, k, rnd, 1 + rnd.nextInt(1024));
        }
        String how = writer + " versioned copy of " + from + " to " + k.key();
        KeyVersions.Write w = k.begin(ObjectImage.of(from.image.runs()), how);
        CopyResult r;
        try {
            r = world.write(() -> world.engine.copyObject(BUCKET, from.key, from.id, BUCKET, k.key(),
                    PutOptions.of(ObjectMetadata.EMPTY, TestEngines.OWNER)));
        } catch (EngineException e) {
            if (e.code() == ErrorCode.NO_SUCH_VERSION && from.removing()) {
                k.abandon(w); // the source was removed meanwhile: nothing was copied
                world.tally.raceRefusals.increment();
                return false;
            }
            if (e.code() == ErrorCode.NO_SUCH_VERSION) {
                world.tally.lost(how + ": NO_SUCH_VERSION, and nobody removed it");
            } else {
                world.tally.error(how, e);
            }
            return false;
        }
        world.tally.reads.increment();
        world.tally.copies.increment();
        copies.increment();
        ObjectInfo info = r.object();
        if (!from.id.equals(r.sourceVersionId()) || info.versionId() == null || info.size() != from.image.size()
                || !ObjectImage.unquoted(info.etag()).equals(from.image.md5Hex(0, (int) from.image.size()))) {
            world.tally.wrong(how + " acknowledged version " + info.versionId() + " of " + info.size() + " bytes, ETag "
                    + info.etag() + ", copied from " + r.sourceVersionId());
            return false;
        }
        ack(k, w, info.versionId());
        return true;
    }

    private boolean deleteMarker(String writer, KeyVersions k) {
        return addMarker(writer + " versioned delete of " + k.key(), k) != null;
    }

    /** Adds a delete marker to {@code k}; null (a finding counted) if that failed. */
    private KeyVersions.Version addMarker(String how, KeyVersions k) {
        KeyVersions.Write w = k.begin(null, how);
        DeleteOutcome out;
        try {
            out = world.write(() -> world.engine.deleteObject(BUCKET, k.key()));
        } catch (EngineException e) {
            world.tally.error(how, e);
            return null;
        }
        if (!out.deleteMarker() || out.versionId() == null) {
            world.tally.wrong(how + " returned " + out + ", not a new delete marker");
            return null;
        }
        return ack(k, w, out.versionId());
    }

    /** Removes one version for good (often the newest, so that the next one is promoted or a marker uncovered). */
    private boolean remove(String writer, KeyVersions k, Random rnd) {
        KeyVersions.Version v = k.claimRemoval(rnd, rnd.nextBoolean(), world.ticks.next());
        if (v == null) {
            return put(writer, k, rnd, 1 + rnd.nextInt(1024));
        }
        return removeClaimed(writer + " removal of " + v, k, v);
    }

    private boolean removeClaimed(String how, KeyVersions k, KeyVersions.Version v) {
        DeleteOutcome out;
        try {
            out = world.write(() -> world.engine.deleteObjectVersion(BUCKET, k.key(), v.id));
        } catch (EngineException e) {
            world.tally.error(how, e);
            return false;
        }
        k.removalEnded(v, world.ticks.next());
        removals.increment();
        if (!out.equals(new DeleteOutcome(v.id, v.marker()))) {
            world.tally.wrong(how + " returned " + out);
            return false;
        }
        return true;
    }

    /**
     * A delete marker and its removal by id. When no other write of the key ran meanwhile, the key must
     * read afterwards exactly as it read right before the marker: the version that was current comes back.
     */
    private boolean undelete(String writer, KeyVersions k, Random rnd) {
        KeyVersions.Activity before = k.activity();
        KeyVersions.Seen was = readCurrent(writer + " (before a marker)", k, ReadRange.ALL, rnd.nextBoolean());
        KeyVersions.Version marker = addMarker(writer + " undelete: marker on " + k.key(), k);
        if (marker == null) {
            return false;
        }
        if (!k.claim(marker, world.ticks.next())) {
            undeletesRaced.increment(); // another writer is removing it: that removal is the undelete
            return true;
        }
        if (!removeClaimed(writer + " undelete: removal of " + marker, k, marker)) {
            return false;
        }
        KeyVersions.Seen back = readCurrent(writer + " (after undeleting " + marker.id + ")", k, ReadRange.ALL,
                rnd.nextBoolean());
        if (was == null || back == null || !before.quietUntil(k.activity(), UNDELETE_EVENTS)) {
            undeletesRaced.increment();
            return true;
        }
        undeletesChecked.increment();
        if (!back.equals(was)) {
            world.tally.wrong(writer + " undeleted " + k.key() + " (added and removed marker " + marker.id
                    + ", no other write of the key meanwhile): it reads as " + back + ", but " + was
                    + " was current right before the marker");
        }
        return true;
    }

    private KeyVersions.Version ack(KeyVersions k, KeyVersions.Write w, String versionId) {
        KeyVersions.Version v = k.ack(w, versionId, world.ticks.next());
        synchronized (acknowledged) {
            acknowledged.add(v);
        }
        return v;
    }

    /**
     * A Complete of an upload on {@code key} begins; what it stands for is acknowledged with the version
     * id a Complete answers (a replayed Complete answers none: its twin that committed acknowledges).
     */
    OpenUpload.TrackedVersion completeStarting(String key, ObjectImage content, String how) {
        KeyVersions k = byKey.get(key);
        KeyVersions.Write w = k.begin(content, how);
        return new OpenUpload.TrackedVersion() {
            @Override
            public boolean ack(String versionId, long tick) {
                if (versionId == null) {
                    return false;
                }
                VersionedKeys.this.ack(k, w, versionId);
                completes.increment();
                return true;
            }

            @Override
            public void refuse() {
                k.abandon(w);
            }
        };
    }

    void prune(String key) {
        byKey.get(key).prune(world.ticks.oldestRead());
    }

    /** A read of a random key's current version, whole or a range of it. */
    void readCurrent(String reader, Random rnd, ReadRange range, boolean viaSlices) {
        readCurrent(reader, byKey.get(randomKey(rnd)), range, viaSlices);
    }

    /**
     * Reads {@code k}'s current version and has its bookkeeping judge the answer; returns what the read
     * saw, or null after an error or a range refusal.
     */
    private KeyVersions.Seen readCurrent(String who, KeyVersions k, ReadRange range, boolean viaSlices) {
        String how = who + " read of " + k.key() + " " + range + (viaSlices ? " via slices" : " via stream");
        long begun = world.ticks.beginRead();
        try {
            long ended = -1;
            Outcome outcome;
            KeyVersions.Seen seen;
            try (ObjectContent c = world.engine.getObject(BUCKET, k.key(), range)) {
                ended = world.ticks.next();
                byte[] bytes = viaSlices ? StressWorld.readSlices(c) : c.stream().readAllBytes();
                world.tally.bytesRead.add(bytes.length);
                outcome = new Outcome.Data(c.info().size(), c.firstByte(), bytes);
                seen = new KeyVersions.Seen(c.info().versionId(), false, false);
            } catch (EngineException e) {
                if (ended < 0) {
                    ended = world.ticks.next();
                }
                if (e.code() == ErrorCode.NO_SUCH_KEY) {
                    seen = e.deleteMarker() == null ? KeyVersions.Seen.ABSENT
                            : new KeyVersions.Seen(e.deleteMarker().versionId(), true, false);
                } else if (Outcome.isRefusal(e.code())) {
                    seen = null;
                } else {
                    world.tally.error(how, e);
                    return null;
                }
                outcome = new Outcome.Refused(e.code());
            } catch (IOException | RuntimeException e) {
                world.tally.error(how, e);
                return null;
            } finally {
                world.tally.reads.increment();
            }
            currentReads.increment();
            KeyVersions.Finding f = k.judgeCurrent(begun, ended, seen, outcome, range);
            if (f != null && f.lost()) {
                world.tally.lost(how + ": " + f.what());
            } else if (f != null) {
                world.tally.wrong(how + ": " + f.what());
            }
            return seen;
        } finally {
            world.ticks.endRead(begun);
        }
    }

    /**
     * Reads an acknowledged version by id: its exact bytes (or METHOD_NOT_ALLOWED for a marker), or
     * NO_SUCH_VERSION once its removal has begun; bytes of a version whose removal had finished before
     * the read began are wrong too.
     */
    void readById(String reader, Random rnd, boolean viaSlices) {
        KeyVersions.Version e;
        synchronized (acknowledged) {
            if (acknowledged.isEmpty()) {
                return;
            }
            // mostly recent versions, which writers may be removing right now
            int n = acknowledged.size();
            e = acknowledged.get(rnd.nextBoolean() ? rnd.nextInt(n) : Math.max(0, n - 1 - rnd.nextInt(32)));
        }
        String how = reader + " read by id " + e + (viaSlices ? " via slices" : " via stream");
        boolean removedBefore = e.removalEnded != KeyVersions.NEVER;
        world.tally.reads.increment();
        readsById.increment();
        try (ObjectContent c = world.engine.getObject(BUCKET, e.key, e.id, ReadRange.ALL)) {
            byte[] bytes = viaSlices ? StressWorld.readSlices(c) : c.stream().readAllBytes();
            world.tally.bytesRead.add(bytes.length);
            if (e.marker() || removedBefore || !e.id.equals(c.info().versionId())
                    || !Arrays.equals(bytes, e.image.bytes())) {
                world.tally.wrong(how + " returned " + bytes.length + " bytes of version " + c.info().versionId()
                        + (removedBefore ? " after its removal" : ""));
            }
        } catch (EngineException ex) {
            if (ex.code() == ErrorCode.NO_SUCH_VERSION) {
                if (!e.removing()) {
                    world.tally.lost(how + " found no such version, and nobody removed it");
                }
                readsOfRemoved.increment();
            } else if (ex.code() != ErrorCode.METHOD_NOT_ALLOWED || !e.marker()) {
                world.tally.error(how, ex);
            }
        } catch (IOException | RuntimeException ex) {
            world.tally.error(how, ex);
        }
    }

    /**
     * Once the writers stopped: ListObjectVersions lists every key's surviving versions newest stamp first,
     * the newest as latest; each key reads as its newest version; versions read back by id.
     */
    void check(Engine engine, String when) {
        List<String> expected = new ArrayList<>();
        int uncertain = 0;
        for (KeyVersions k : byKey.values()) { // v0 < v1 < ... while there are at most ten keys
            List<KeyVersions.Version> list = k.surviving();
            for (int i = 0; i < list.size(); i++) {
                KeyVersions.Version v = list.get(i);
                expected.add(describe(k.key(), v.id, i == 0, v.marker(), v.marker() ? 0 : v.image.size()));
            }
            uncertain += k.inFlight().size();
        }
        List<String> listed = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        VersionListing page;
        do {
            page = engine.listObjectVersions(BUCKET, new ListVersionsQuery(null, null, keyMarker, idMarker, 1000));
            for (ObjectVersion v : page.versions()) {
                listed.add(describe(v.key(), v.versionId(), v.latest(), v.deleteMarker(), v.size()));
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextVersionIdMarker();
        } while (page.truncated());
        if (!listed.equals(expected)) {
            world.tally.checkFailed(when + ": the versions listed " + firstDifference(listed, expected) + " ("
                    + listed.size() + " listed, " + expected.size() + " acknowledged and not removed, newest stamp"
                    + " first; " + uncertain + " writes failed)");
        }
        for (KeyVersions k : byKey.values()) {
            checkCurrent(engine, when, k);
            List<KeyVersions.Version> list = k.surviving();
            for (int i = 0; i < list.size(); i++) {
                KeyVersions.Version v = list.get(i);
                if (v.marker()) {
                    continue;
                }
                String how = when + ": version " + v;
                try {
                    if (i < READ_BACK) {
                        try (ObjectContent c = engine.getObject(BUCKET, k.key(), v.id, ReadRange.ALL)) {
                            if (!Arrays.equals(c.stream().readAllBytes(), v.image.bytes())) {
                                world.tally.lost(how + " reads back other bytes");
                            }
                        }
                    } else if (engine.headObject(BUCKET, k.key(), v.id).size() != v.image.size()) {
                        world.tally.lost(how + " has another size");
                    }
                } catch (EngineException | IOException ex) {
                    world.tally.error(how, ex);
                }
            }
        }
        System.out.println("concurrency stress: versioned bucket " + when + " holds " + expected.size()
                + " versions and markers over " + keys.size() + " keys; " + acknowledged.size() + " acknowledged ("
                + copies + " copies, " + completes + " completes), " + removals + " removed by id, " + undeletesChecked
                + " undeletes checked (" + undeletesRaced + " raced by other writes of the key), " + currentReads
                + " reads of current versions judged for commit order, " + readsById + " reads by id ("
                + readsOfRemoved + " of removed versions)");
    }

    /** The key reads as its newest surviving version: that object, a NoSuchKey naming that marker, or none. */
    private void checkCurrent(Engine engine, String when, KeyVersions k) {
        List<KeyVersions.Version> list = k.surviving();
        String want = list.isEmpty() ? "nothing" : list.get(0).marker() ? "marker " + list.get(0).id
                : "version " + list.get(0).id;
        String got;
        try {
            got = "version " + engine.headObject(BUCKET, k.key()).versionId();
        } catch (EngineException e) {
            if (e.code() != ErrorCode.NO_SUCH_KEY) {
                world.tally.error(when + ": head of " + k.key(), e);
                return;
            }
            got = e.deleteMarker() == null ? "nothing" : "marker " + e.deleteMarker().versionId();
        }
        if (!got.equals(want)) {
            world.tally.checkFailed(when + ": " + k.key() + " reads as " + got + ", not its newest version, " + want);
        }
    }

    private static String describe(String key, String id, boolean latest, boolean marker, long size) {
        return key + "@" + id + (latest ? " latest" : "") + (marker ? " marker" : " " + size);
    }

    private static String firstDifference(List<String> listed, List<String> expected) {
        int i = 0;
        while (i < listed.size() && i < expected.size() && listed.get(i).equals(expected.get(i))) {
            i++;
        }
        return "differ from the versions acknowledged at entry " + i + ": listed "
                + listed.subList(i, Math.min(i + 4, listed.size())) + ", expected "
                + expected.subList(i, Math.min(i + 4, expected.size()));
    }
}
