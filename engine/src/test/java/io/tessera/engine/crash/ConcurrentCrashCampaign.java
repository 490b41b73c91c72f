package io.tessera.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.PartInfo;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.SegmentSpace;
import io.tessera.engine.FsckReport;
import io.tessera.engine.testkit.BodyPattern;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.TestEngines;
import io.tessera.engine.testkit.VersionHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The concurrent round of the kill -9 campaign: runs {@link ConcurrentCrashWorkload} (several writer
 * threads and a collector) in a child JVM, kills it with SIGKILL after a random number of
 * acknowledgements, reopens the directory and checks that every key holds its last acknowledged
 * version or one of the versions in flight at the kill, that open uploads and their parts are what
 * was acknowledged (or in flight), that a complete is all or nothing, that fsck is clean and that one
 * collection cycle leaves no garbage in sealed segments. Recoveries stack: the directory carries over.
 *
 * <p>Not thread-safe.
 */
public final class ConcurrentCrashCampaign {
    static final int MAX_OPS = 600;
    /** Commands take milliseconds; this long without a line means the child is stuck. */
    static final Duration STALL = Duration.ofSeconds(60);

    private final Path dir;
    private final Random rnd;
    private final Map<String, VersionHistory<ObjectImage>> objects = new TreeMap<>();
    private int kills;
    private long acks;

    public ConcurrentCrashCampaign(Path dir, long seed) {
        this.dir = dir;
        this.rnd = new Random(seed);
    }

    public int kills() {
        return kills;
    }

    public long acks() {
        return acks;
    }

    /** One round: start the child, kill it after a random number of acknowledgements, verify. */
    public void round(int round) throws IOException, InterruptedException {
        long seed = rnd.nextLong();
        Process child = ChildJvm.start(ConcurrentCrashWorkload.class, dir.toString(), Long.toString(seed),
                Integer.toString(MAX_OPS), Long.toString((long) round << 32));
        int target = 5 + rnd.nextInt(200);
        ConcurrentCrashLog log = new ConcurrentCrashLog(objects);
        ChildOutput out = new ChildOutput(child);
        int seen = 0;
        boolean killed = false;
        try {
            long tick = 0;
            for (String line; (line = out.next(STALL)) != ChildOutput.END; ) {
                if (line == null) {
                    fail("the child printed nothing for " + STALL + " (a deadlock?); its threads:\n" + out.dump());
                }
                log.apply(line, ++tick);
                if (line.startsWith("ACK ") && ++seen == target && !killed) {
                    // SIGKILL through the handle, so the lines already in the pipe can still be read
                    child.toHandle().destroyForcibly();
                    killed = true;
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        acks += seen;
        if (killed) {
            kills++;
        } else {
            assertThat(child.exitValue()).as("child exited on its own; round %d", round).isZero();
            assertThat(log.done).as("child finished its work; round %d", round).isTrue();
        }
        verify(log);
    }

    private void verify(ConcurrentCrashLog log) {
        List<String> problems = new ArrayList<>(log.problems);
        try (Engine e = Engine.open(CrashCampaign.config(dir))) {
            Map<String, VersionHistory.Version<ObjectImage>> held = verifyObjects(e, problems);
            verifyUploads(e, log, held, problems);
            FsckReport fsck = e.fsck(true);
            if (!fsck.problems().isEmpty() || !fsck.orphanFiles().isEmpty()) {
                problems.add("fsck after recovery: problems " + fsck.problems() + ", orphans " + fsck.orphanFiles());
            }
            long live = TestEngines.liveBytes(e);
            long implied = TestEngines.expectedLiveBytes(e);
            if (live != implied) {
                problems.add("live bytes " + live + " but the listed objects and parts hold " + implied);
            }
            e.collectGarbage();
            for (SegmentSpace s : e.space().values()) {
                if (!s.active() && s.deadBytes() > 0) {
                    problems.add("garbage left in sealed segment " + s);
                }
            }
            FsckReport after = e.fsck(false);
            if (!after.problems().isEmpty()) {
                problems.add("fsck after collection: " + after.problems());
            }
        }
        problems.addAll(log.errors);
        assertThat(problems).as("after the kill (%d commands in flight)", inFlight(log)).isEmpty();
    }

    private static long inFlight(ConcurrentCrashLog log) {
        return log.commands.values().stream().filter(c -> !c.acked).count();
    }

    /** Checks every key; settles its history on the version it holds. Returns key → that version. */
    private Map<String, VersionHistory.Version<ObjectImage>> verifyObjects(Engine e, List<String> problems) {
        Set<String> keys = new TreeSet<>(objects.keySet());
        for (ObjectInfo o : e.listObjects("b", ListObjectsQuery.all()).objects()) {
            keys.add(o.key());
        }
        Map<String, VersionHistory.Version<ObjectImage>> held = new HashMap<>();
        for (String key : keys) {
            VersionHistory<ObjectImage> h = objects.computeIfAbsent(key, k -> new VersionHistory<>(null, "never"));
            List<VersionHistory.Version<ObjectImage>> candidates = h.admissibleNow();
            byte[] actual;
            try {
                actual = TestEngines.read(e, "b", key);
            } catch (EngineException ex) {
                if (ex.code() != ErrorCode.NO_SUCH_KEY) {
                    problems.add("reading " + key + ": " + ex + "; it must hold one of " + candidates);
                    h.settle(null, "unreadable");
                    continue;
                }
                actual = null;
            }
            VersionHistory.Version<ObjectImage> match = null;
            for (VersionHistory.Version<ObjectImage> v : candidates) {
                if (v.absent() ? actual == null : actual != null && Arrays.equals(actual, v.content().bytes())) {
                    match = v;
                    break;
                }
            }
            if (match == null) {
                problems.add(key + " holds " + describe(actual) + ", none of " + candidates);
                h.settle(null, "unknown");
                continue;
            }
            held.put(key, match);
            h.settle(match.content(), "recovered " + match.label());
        }
        return held;
    }

    private static String describe(byte[] actual) {
        if (actual == null) {
            return "nothing";
        }
        BodyPattern.Cell c = BodyPattern.identify(actual, 0, 2 * BodyPattern.CELL);
        return actual.length + " bytes" + (c == null ? " (unidentifiable)" : " starting in body " + c.bodyId());
    }

    private void verifyUploads(Engine e, ConcurrentCrashLog log, Map<String, VersionHistory.Version<ObjectImage>> held,
                               List<String> problems) {
        List<String> creating = new ArrayList<>(log.creating);
        List<UploadInfo> listed = e.listUploads("b", ListUploadsQuery.all()).uploads();
        Set<String> listedIds = new TreeSet<>();
        for (UploadInfo u : listed) {
            listedIds.add(u.uploadId());
            ConcurrentCrashLog.Upload known = log.uploads.get(u.uploadId());
            List<PartInfo> parts = e.listParts("b", u.key(), u.uploadId(), 1000, 0).parts();
            if (known == null) {
                if (!creating.remove(u.key()) || !parts.isEmpty()) {
                    problems.add("unknown upload " + u.uploadId() + " on " + u.key() + " with " + parts.size() + " parts");
                }
                continue;
            }
            if (known.closeAcked) {
                problems.add("upload " + u.uploadId() + " was completed or aborted but is still open");
            }
            for (ConcurrentCrashLog.Command c : known.closes) {
                if (c.kind().equals("COMPLETE") && held.get(known.key) == c.version) {
                    problems.add("the object of " + c + " is visible but its upload is still open");
                }
            }
            verifyParts(u.uploadId(), known, parts, problems);
        }
        for (Map.Entry<String, ConcurrentCrashLog.Upload> k : log.uploads.entrySet()) {
            if (!listedIds.contains(k.getKey()) && k.getValue().closes.isEmpty() && !k.getValue().closeAcked) {
                problems.add("upload " + k.getKey() + " vanished though nothing completed or aborted it");
            }
        }
        // the next child starts without uploads: it knows none of these ids
        for (UploadInfo u : listed) {
            e.abortUpload("b", u.key(), u.uploadId());
        }
    }

    private static void verifyParts(String id, ConcurrentCrashLog.Upload known, List<PartInfo> parts,
                                    List<String> problems) {
        Map<Integer, PartInfo> actual = new TreeMap<>();
        parts.forEach(p -> actual.put(p.partNumber(), p));
        Set<Integer> numbers = new TreeSet<>(known.parts.keySet());
        numbers.addAll(actual.keySet());
        for (int n : numbers) {
            PartInfo a = actual.get(n);
            List<VersionHistory.Version<ObjectImage>> candidates = known.part(n).admissibleNow();
            boolean ok = candidates.stream().anyMatch(v -> v.absent() ? a == null
                    : a != null && a.size() == v.content().size()
                            && ObjectImage.unquoted(a.etag()).equals(ObjectImage.md5Hex(v.content().bytes())));
            if (!ok) {
                problems.add("part " + n + " of " + id + " is " + (a == null ? "missing" : a.size() + " bytes " + a.etag())
                        + ", none of " + candidates);
            }
        }
    }
}
