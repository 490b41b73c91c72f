package io.tessera.engine.stress;

import io.tessera.engine.EngineException;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.testkit.BodyPattern;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.VersionHistory;

/**
 * Puts, overwrites and deletes small objects over the shared keys. Every write is entered in the
 * key's history before it starts and acknowledged after the engine returned; a write that fails with
 * an unexpected error stays open (it may or may not have happened) and counts as an error. A third
 * of the steps write to the versioned bucket instead ({@link VersionedKeys}).
 */
final class ObjectWriterTask extends StressTask {
    /** The share of steps that write to the versioned bucket, whose few keys every writer races on. */
    private static final int VERSIONED_PERCENT = 50;

    ObjectWriterTask(StressWorld world, long seed, String name) {
        super(world, seed, name);
    }

    @Override
    protected void step() {
        if (rnd.nextInt(100) < VERSIONED_PERCENT) {
            world.versioned.write(name, rnd, objectSize());
            return;
        }
        String key = randomKey();
        VersionHistory<ObjectImage> h = world.histories.get(key);
        if (rnd.nextInt(100) < 20) {
            VersionHistory.Version<ObjectImage> v = h.begin(null, name + " delete", world.ticks.next());
            try {
                world.write(() -> {
                    world.engine.deleteObject(StressWorld.BUCKET, key);
                    return null;
                });
            } catch (EngineException e) {
                world.tally.error(name + " delete " + key, e);
                return;
            }
            h.ack(v, world.ticks.next());
        } else {
            int size = objectSize();
            int keyIndex = StressWorld.keyIndex(key);
            long bodyId = world.newBody(name + " put of " + key);
            byte[] body = BodyPattern.body(bodyId, keyIndex, size);
            VersionHistory.Version<ObjectImage> v = h.begin(ObjectImage.single(bodyId, keyIndex, size),
                    name + " put", world.ticks.next());
            ObjectInfo info;
            try {
                info = world.put(key, body, rnd);
            } catch (EngineException e) {
                world.tally.error(name + " put " + key + " (" + size + " bytes)", e);
                return;
            }
            h.ack(v, world.ticks.next());
            String md5 = ObjectImage.md5Hex(body);
            if (info.size() != size || !ObjectImage.unquoted(info.etag()).equals(md5)) {
                world.tally.wrong(name + " put " + key + " acknowledged " + info.size() + " bytes, ETag " + info.etag()
                        + "; sent " + size + " bytes with MD5 " + md5);
            }
        }
        world.tally.operations.increment();
        world.prune(h);
    }
}
