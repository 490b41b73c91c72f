package io.tessera.engine.stress;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ReadRange;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.SegmentSpace;
import io.tessera.engine.FsckReport;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.TestEngines;
import io.tessera.engine.testkit.VersionHistory;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks once every thread stopped: each key holds its last acknowledged version (or one of the
 * versions still open when a write failed), the open uploads are exactly those no task finished,
 * fsck finds nothing, and after one full collection no sealed segment holds a dead byte and the live
 * bytes add up (segment counters, fsck, and what the listings imply).
 *
 * <p>Not thread-safe: runs after the workload.
 */
final class EndStateCheck {
    private final StressWorld world;
    private final Tally tally;

    EndStateCheck(StressWorld world) {
        this.world = world;
        this.tally = world.tally;
    }

    void run(Engine engine, String when) {
        long started = System.nanoTime();
        objects(engine, when);
        uploads(engine, when);
        world.versioned.check(engine, when);
        long read = System.nanoTime();
        store(engine, when);
        System.out.printf("concurrency stress: checks %s took %.1f s (reads %.1f s, fsck and collection %.1f s)%n",
                when, (System.nanoTime() - started) / 1e9, (read - started) / 1e9, (System.nanoTime() - read) / 1e9);
    }

    private void objects(Engine engine, String when) {
        for (String key : new TreeSet<>(world.histories.keySet())) {
            List<VersionHistory.Version<ObjectImage>> candidates = world.histories.get(key).admissibleNow();
            Outcome outcome;
            try (var c = engine.getObject(StressWorld.bucketOf(key), key, ReadRange.ALL)) {
                outcome = new Outcome.Data(c.info().size(), c.firstByte(), c.stream().readAllBytes());
            } catch (EngineException e) {
                if (!Outcome.isRefusal(e.code())) {
                    tally.error(when + ": reading " + key, e);
                    continue;
                }
                outcome = new Outcome.Refused(e.code());
            } catch (IOException | RuntimeException e) {
                tally.error(when + ": reading " + key, e);
                continue;
            }
            if (outcome.explainedBy(candidates, ReadRange.ALL) != null) {
                continue;
            }
            String what = when + ": " + key + " holds " + outcome + ", not its last acknowledged version: "
                    + candidates;
            if (outcome instanceof Outcome.Data d) {
                tally.lost(what + ";" + Outcome.diagnose(d, ReadRange.ALL, candidates, world.bodies));
            } else {
                tally.lost(what);
            }
        }
    }

    private void uploads(Engine engine, String when) {
        Set<String> expected = new TreeSet<>(world.uploads.keySet());
        Set<String> listed = new TreeSet<>();
        for (String bucket : List.of(StressWorld.BUCKET, VersionedKeys.BUCKET)) {
            for (UploadInfo u : engine.listUploads(bucket, ListUploadsQuery.all()).uploads()) {
                listed.add(u.uploadId());
            }
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(listed);
        Set<String> extra = new HashSet<>(listed);
        extra.removeAll(expected);
        if (!missing.isEmpty()) {
            tally.lost(when + ": open uploads gone: " + missing);
        }
        if (!extra.isEmpty()) {
            tally.checkFailed(when + ": uploads completed or aborted are still listed: " + extra);
        }
    }

    private void store(Engine engine, String when) {
        FsckReport fsck = engine.fsck(true);
        if (!fsck.problems().isEmpty() || !fsck.orphanFiles().isEmpty()) {
            tally.checkFailed(when + ": fsck found " + fsck.problems().size() + " problems " + head(fsck.problems())
                    + " and " + fsck.orphanFiles().size() + " orphan files " + head(fsck.orphanFiles()));
        }
        engine.collectGarbage();
        long live = 0;
        for (SegmentSpace s : engine.space().values()) {
            live += s.liveBytes();
            if (!s.active() && s.deadBytes() > 0) {
                tally.checkFailed(when + ": sealed segment " + s.segmentId() + " keeps " + s.deadBytes()
                        + " dead bytes after a full collection (" + s + ")");
            }
        }
        FsckReport after = engine.fsck(false);
        long implied = TestEngines.expectedLiveBytes(engine);
        if (!after.problems().isEmpty()) {
            tally.checkFailed(when + ": fsck after collection found " + head(after.problems()));
        }
        if (live != after.liveBytes() || live != implied) {
            tally.checkFailed(when + ": live bytes disagree: segments say " + live + ", fsck " + after.liveBytes()
                    + ", the listed objects and parts " + implied);
        }
    }

    private static List<String> head(List<String> items) {
        return items.subList(0, Math.min(5, items.size()));
    }
}
