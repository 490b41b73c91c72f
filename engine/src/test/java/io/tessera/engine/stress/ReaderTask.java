package io.tessera.engine.stress;

import io.tessera.engine.EngineException;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PutOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.TestEngines;
import io.tessera.engine.testkit.VersionHistory;

/**
 * Reads the shared keys, whole and in ranges, through the stream and through the file slices, and
 * copies them (CopyObject) to a key of its own, which it then reads back. Every answer is judged
 * against the versions the key may hold during the call. Some reads go to the versioned bucket: its
 * keys' current versions ({@link VersionedKeys#readCurrent}), and versions by id
 * ({@link VersionedKeys#readById}).
 */
final class ReaderTask extends StressTask {
    private final String copyKey;

    ReaderTask(StressWorld world, long seed, String name) {
        super(world, seed, name);
        this.copyKey = "copy-" + name;
        world.addPrivateKey(copyKey);
    }

    @Override
    protected void step() {
        String key = randomKey();
        int dice = rnd.nextInt(100);
        if (dice < 15) {
            world.versioned.readById(name, rnd, rnd.nextBoolean());
            return;
        }
        if (dice < 25) {
            ReadRange range = rnd.nextBoolean() ? ReadRange.ALL : randomRange();
            world.versioned.readCurrent(name, rnd, range, rnd.nextBoolean());
            return;
        }
        if (dice < 40) {
            world.read(key, ReadRange.ALL, rnd.nextBoolean());
        } else if (dice < 90) {
            world.read(key, randomRange(), rnd.nextBoolean());
        } else {
            copy(key);
        }
    }

    private ReadRange randomRange() {
        int dice = rnd.nextInt(100);
        if (dice < 50) {
            long first = rnd.nextInt(320 * 1024);
            return ReadRange.bytes(first, first + rnd.nextInt(300 * 1024));
        }
        if (dice < 65) {
            return ReadRange.bytes(rnd.nextInt(320 * 1024), -1);
        }
        if (dice < 80) {
            return ReadRange.suffix(1 + rnd.nextInt(320 * 1024));
        }
        return ReadRange.part(1 + rnd.nextInt(4));
    }

    /** CopyObject from a shared key to this reader's own key, judged by the copy's size and ETag. */
    private void copy(String source) {
        String how = name + " copy " + source + " -> " + copyKey;
        VersionHistory<ObjectImage> dst = world.histories.get(copyKey);
        long begun = world.ticks.beginRead();
        try {
            Outcome outcome;
            long ended;
            try {
                ObjectInfo info = world.write(() -> world.engine.copyObject(StressWorld.BUCKET, source,
                        StressWorld.BUCKET, copyKey, PutOptions.of(ObjectMetadata.EMPTY, TestEngines.OWNER)));
                ended = world.ticks.next();
                outcome = new Outcome.Copied(info.size(), ObjectImage.unquoted(info.etag()));
            } catch (EngineException e) {
                ended = world.ticks.next();
                if (!Outcome.isRefusal(e.code())) {
                    world.tally.error(how, e);
                    // whatever the copy read may now be the destination: any version of the source
                    for (VersionHistory.Version<ObjectImage> v : world.histories.get(source).admissible(begun, ended)) {
                        dst.begin(v.content(), how + " (failed)", ended);
                    }
                    return;
                }
                outcome = new Outcome.Refused(e.code());
            } finally {
                world.tally.reads.increment();
                world.tally.copies.increment();
            }
            VersionHistory.Version<ObjectImage> got = world.judge(source, how, ReadRange.ALL, begun, ended, outcome);
            if (outcome instanceof Outcome.Refused) {
                return; // nothing copied: the destination keeps what it had
            }
            world.tally.operations.increment();
            if (got == null) {
                dst.settle(null, "unknown after a wrong copy");
                world.engine.deleteObject(StressWorld.BUCKET, copyKey);
                return;
            }
            long t = world.ticks.next();
            dst.ack(dst.begin(ObjectImage.of(got.content().runs()), how, t), t);
            world.prune(dst);
        } finally {
            world.ticks.endRead(begun);
        }
        world.read(copyKey, ReadRange.ALL, rnd.nextBoolean());
    }
}
