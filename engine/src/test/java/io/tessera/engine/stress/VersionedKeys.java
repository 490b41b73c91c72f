package io.tessera.engine.stress;

import io.tessera.engine.DeleteOutcome;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ListVersionsQuery;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectVersion;
import io.tessera.engine.ReadRange;
import io.tessera.engine.VersionListing;
import io.tessera.engine.VersioningState;
import io.tessera.engine.testkit.BodyPattern;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.TestEngines;
import io.tessera.engine.testkit.VersionHistory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The versioned bucket of a stress run: a few keys that writers put, delete (adding delete markers)
 * and whose versions, markers included, they remove by id. One writer works on a key at a time, so
 * each key's list of versions is known exactly; readers, copies and the collector still race with it.
 * Reads of the current version are judged like any key's; a read by id must return exactly that
 * version's bytes, or NO_SUCH_VERSION only once its removal has begun.
 *
 * <p>Thread-safe.
 */
final class VersionedKeys {
    static final String BUCKET = "v";
    static final String KEY_PREFIX = "v";
    private static final int KEY_INDEX_BASE = 100;
    /** Versions per key whose bytes the end check reads back by id (all are checked by listing and head). */
    private static final int READ_BACK = 16;

    /** One acknowledged version ({@code image} null: a delete marker) and how far its removal got. */
    static final class Entry {
        final String key;
        final String versionId;
        final ObjectImage image;
        volatile boolean removing;
        volatile boolean removed;

        Entry(String key, String versionId, ObjectImage image) {
            this.key = key;
            this.versionId = versionId;
            this.image = image;
        }

        @Override
        public String toString() {
            return key + "@" + versionId + (image == null ? " marker" : " " + image.size() + " bytes");
        }
    }

    private final StressWorld world;
    final List<String> keys = new ArrayList<>();
    private final Map<String, ReentrantLock> locks = new HashMap<>();
    /** Each key's versions, newest first; guarded by the key's lock. */
    private final Map<String, List<Entry>> versions = new HashMap<>();
    /** Every version ever acknowledged, for readers to ask for by id; guarded by itself. */
    private final List<Entry> acknowledged = new ArrayList<>();
    private final LongAdder readsById = new LongAdder();
    private final LongAdder readsOfRemoved = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder promotions = new LongAdder();

    VersionedKeys(StressWorld world, int keyCount) {
        this.world = world;
        world.engine.createBucket(BUCKET, TestEngines.OWNER);
        world.engine.setBucketVersioning(BUCKET, VersioningState.ENABLED);
        for (int i = 0; i < keyCount; i++) {
            String key = KEY_PREFIX + i;
            keys.add(key);
            locks.put(key, new ReentrantLock());
            versions.put(key, new ArrayList<>());
            world.histories.put(key, new VersionHistory<>(null, "never written"));
        }
    }

    String randomKey(Random rnd) {
        return keys.get(rnd.nextInt(keys.size()));
    }

    /** One write by {@code writer}: a put of {@code size} bytes, a delete marker, or the removal of a version. */
    void write(String writer, Random rnd, int size) {
        String key = randomKey(rnd);
        ReentrantLock lock = locks.get(key);
        lock.lock(); // only writers of this bucket take it, never the engine
        try {
            List<Entry> list = versions.get(key);
            VersionHistory<ObjectImage> h = world.histories.get(key);
            int dice = rnd.nextInt(100);
            boolean ok;
            if (dice < 15) {
                ok = deleteMarker(writer, key, list, h);
            } else if (dice < 45 && !list.isEmpty()) {
                // often the newest, so that removals promote the next version or uncover a marker
                int at = rnd.nextBoolean() ? 0 : rnd.nextInt(list.size());
                ok = remove(writer, list.get(at), list, h);
            } else {
                ok = put(writer, key, list, h, rnd, size);
            }
            if (ok) {
                world.tally.operations.increment();
            }
            world.prune(h);
        } finally {
            lock.unlock();
        }
    }

    private boolean put(String writer, String key, List<Entry> list, VersionHistory<ObjectImage> h, Random rnd,
                        int size) {
        int keyIndex = KEY_INDEX_BASE + Integer.parseInt(key.substring(KEY_PREFIX.length()));
        long bodyId = world.newBody(writer + " versioned put of " + key);
        byte[] body = BodyPattern.body(bodyId, keyIndex, size);
        ObjectImage image = ObjectImage.single(bodyId, keyIndex, size);
        VersionHistory.Version<ObjectImage> v = h.begin(image, writer + " versioned put", world.ticks.next());
        ObjectInfo info;
        try {
            info = world.put(BUCKET, key, body, rnd);
        } catch (EngineException e) {
            world.tally.error(writer + " versioned put " + key, e);
            return false;
        }
        h.ack(v, world.ticks.next());
        if (info.versionId() == null || info.size() != size) {
            world.tally.wrong(writer + " versioned put " + key + " acknowledged version " + info.versionId() + " of "
                    + info.size() + " bytes; sent " + size);
            return false;
        }
        acknowledge(list, new Entry(key, info.versionId(), image));
        return true;
    }

    private boolean deleteMarker(String writer, String key, List<Entry> list, VersionHistory<ObjectImage> h) {
        VersionHistory.Version<ObjectImage> v = h.begin(null, writer + " versioned delete", world.ticks.next());
        DeleteOutcome out;
        try {
            out = world.write(() -> world.engine.deleteObject(BUCKET, key));
        } catch (EngineException e) {
            world.tally.error(writer + " versioned delete " + key, e);
            return false;
        }
        h.ack(v, world.ticks.next());
        if (!out.deleteMarker() || out.versionId() == null) {
            world.tally.wrong(writer + " versioned delete " + key + " returned " + out + ", not a new delete marker");
            return false;
        }
        acknowledge(list, new Entry(key, out.versionId(), null));
        return true;
    }

    /** Removes one version for good; when it was the newest, the next newest decides what the key reads as. */
    private boolean remove(String writer, Entry e, List<Entry> list, VersionHistory<ObjectImage> h) {
        boolean newest = list.get(0) == e;
        VersionHistory.Version<ObjectImage> v = null;
        if (newest) {
            ObjectImage next = list.size() > 1 ? list.get(1).image : null;
            v = h.begin(next, writer + " removal of " + e + " promotes " + (list.size() > 1 ? list.get(1) : "nothing"),
                    world.ticks.next());
        }
        e.removing = true;
        DeleteOutcome out;
        try {
            out = world.write(() -> world.engine.deleteObjectVersion(BUCKET, e.key, e.versionId));
        } catch (EngineException ex) {
            world.tally.error(writer + " removal of " + e, ex);
            return false;
        }
        if (v != null) {
            h.ack(v, world.ticks.next());
        }
        e.removed = true;
        list.remove(e);
        removals.increment();
        if (newest && !list.isEmpty()) {
            promotions.increment();
        }
        if (!out.equals(new DeleteOutcome(e.versionId, e.image == null))) {
            world.tally.wrong(writer + " removal of " + e + " returned " + out);
            return false;
        }
        return true;
    }

    private void acknowledge(List<Entry> list, Entry e) {
        list.add(0, e);
        synchronized (acknowledged) {
            acknowledged.add(e);
        }
    }

    /**
     * Reads an acknowledged version by id: its exact bytes (or METHOD_NOT_ALLOWED for a marker), or
     * NO_SUCH_VERSION once its removal has begun; bytes of a version whose removal had finished before
     * the read began are wrong too.
     */
    void readById(String reader, Random rnd, boolean viaSlices) {
        Entry e;
        synchronized (acknowledged) {
            if (acknowledged.isEmpty()) {
                return;
            }
            // mostly recent versions, which writers may be removing right now
            int n = acknowledged.size();
            e = acknowledged.get(rnd.nextBoolean() ? rnd.nextInt(n) : Math.max(0, n - 1 - rnd.nextInt(32)));
        }
        String how = reader + " read by id " + e + (viaSlices ? " via slices" : " via stream");
        boolean removedBefore = e.removed;
        world.tally.reads.increment();
        readsById.increment();
        try (ObjectContent c = world.engine.getObject(BUCKET, e.key, e.versionId, ReadRange.ALL)) {
            byte[] bytes = viaSlices ? StressWorld.readSlices(c) : c.stream().readAllBytes();
            world.tally.bytesRead.add(bytes.length);
            if (e.image == null || removedBefore || !e.versionId.equals(c.info().versionId())
                    || !Arrays.equals(bytes, e.image.bytes())) {
                world.tally.wrong(how + " returned " + bytes.length + " bytes of version " + c.info().versionId()
                        + (removedBefore ? " after its removal" : ""));
            }
        } catch (EngineException ex) {
            if (ex.code() == ErrorCode.NO_SUCH_VERSION) {
                if (!e.removing) {
                    world.tally.lost(how + " found no such version, and nobody removed it");
                }
                readsOfRemoved.increment();
            } else if (ex.code() != ErrorCode.METHOD_NOT_ALLOWED || e.image != null) {
                world.tally.error(how, ex);
            }
        } catch (IOException | RuntimeException ex) {
            world.tally.error(how, ex);
        }
    }

    /** Once the writers stopped: the listing equals every key's versions, and versions read back by id. */
    void check(Engine engine, String when) {
        List<String> expected = new ArrayList<>();
        for (String key : keys) { // v0 < v1 < ... while there are at most ten keys
            List<Entry> list = versions.get(key);
            for (int i = 0; i < list.size(); i++) {
                Entry e = list.get(i);
                expected.add(describe(key, e.versionId, i == 0, e.image == null, e.image == null ? 0 : e.image.size()));
            }
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
            world.tally.checkFailed(when + ": the versions listed " + head(listed) + " (" + listed.size()
                    + ") are not those acknowledged " + head(expected) + " (" + expected.size() + ")");
        }
        for (String key : keys) {
            List<Entry> list = versions.get(key);
            for (int i = 0; i < list.size(); i++) {
                Entry e = list.get(i);
                if (e.image == null) {
                    continue;
                }
                String how = when + ": version " + e;
                try {
                    if (i < READ_BACK) {
                        try (ObjectContent c = engine.getObject(BUCKET, key, e.versionId, ReadRange.ALL)) {
                            if (!Arrays.equals(c.stream().readAllBytes(), e.image.bytes())) {
                                world.tally.lost(how + " reads back other bytes");
                            }
                        }
                    } else if (engine.headObject(BUCKET, key, e.versionId).size() != e.image.size()) {
                        world.tally.lost(how + " has another size");
                    }
                } catch (EngineException | IOException ex) {
                    world.tally.error(how, ex);
                }
            }
        }
        System.out.println("concurrency stress: versioned bucket " + when + " holds " + expected.size()
                + " versions and markers over " + keys.size() + " keys; " + acknowledged.size() + " acknowledged, "
                + removals + " removed by id (" + promotions + " promoting the next), " + readsById + " reads by id ("
                + readsOfRemoved + " of removed versions)");
    }

    private static String describe(String key, String id, boolean latest, boolean marker, long size) {
        return key + "@" + id + (latest ? " latest" : "") + (marker ? " marker" : " " + size);
    }

    private static List<String> head(List<String> items) {
        return items.subList(0, Math.min(6, items.size()));
    }
}
