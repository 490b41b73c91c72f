package io.tessera.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.PartInfo;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.SegmentSpace;
import io.tessera.engine.FsckReport;
import io.tessera.engine.testkit.TestEngines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CrashWorkload} in a child JVM, kills it with SIGKILL after a random number of
 * acknowledged commands, reopens the data directory and checks: every acknowledged object and part
 * reads back bit-exact, nothing that was never begun is visible, the one command in flight either
 * happened or did not, fsck is clean, and a collection cycle leaves no garbage in sealed segments.
 * The same directory carries over to the next round, so recoveries stack on each other.
 */
public final class CrashCampaign {
    private final Path dir;
    private final Random rnd;
    /** key → the (seed, size) runs that make up its bytes. */
    private final Map<String, List<long[]>> objects = new TreeMap<>();
    /** uploadId → key, and uploadId → part number → (seed, size). */
    private final Map<String, String> uploadKeys = new HashMap<>();
    private final Map<String, TreeMap<Integer, long[]>> uploads = new HashMap<>();
    private int kills;
    private int recoveredSegments;

    public CrashCampaign(Path dir, long seed) {
        this.dir = dir;
        this.rnd = new Random(seed);
    }

    static EngineConfig config(Path dir) {
        // small pieces: most bodies are blobs of several, and kills land between their appends
        return TestEngines.config(dir).withSegmentSize(1L << 20).withPieceSize(64 << 10);
    }

    public int kills() {
        return kills;
    }

    public int recoveredSegments() {
        return recoveredSegments;
    }

    /** One round: start the child, kill it after a random number of acks, verify. */
    public void round(int round) throws IOException, InterruptedException {
        Process child = start(rnd.nextLong(), 400);
        int target = 2 + rnd.nextInt(40);
        String[] inFlight = null;
        int acks = 0;
        boolean killed = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ");
                if (f[0].equals("BEGIN")) {
                    inFlight = f;
                } else if (f[0].equals("ACK")) {
                    apply(f);
                    inFlight = null;
                    if (++acks == target && !killed) {
                        // SIGKILL, no clean close. Through the handle, so that the acks already in the
                        // pipe can still be read (Process.destroyForcibly closes the streams).
                        child.toHandle().destroyForcibly();
                        killed = true;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        if (killed) {
            kills++;
        } else {
            assertThat(child.exitValue()).as("child exited on its own; round %d", round).isZero();
        }
        verify(inFlight);
    }

    private Process start(long seed, int maxOps) throws IOException {
        return ChildJvm.start(CrashWorkload.class, dir.toString(), Long.toString(seed), Integer.toString(maxOps));
    }

    /** Applies an acknowledged command to the model. */
    private void apply(String[] f) {
        switch (f[1]) {
            case "PUT" -> objects.put(f[2], List.of(new long[] {Long.parseLong(f[3]), Long.parseLong(f[4])}));
            case "DEL" -> objects.remove(f[2]);
            case "CREATE" -> {
                uploadKeys.put(f[3], f[2]);
                uploads.put(f[3], new TreeMap<>());
            }
            case "PART" -> uploads.get(f[2]).put(Integer.parseInt(f[4]),
                    new long[] {Long.parseLong(f[5]), Long.parseLong(f[6])});
            case "COMPLETE" -> {
                objects.put(f[3], new ArrayList<>(uploads.remove(f[2]).values()));
                uploadKeys.remove(f[2]);
            }
            case "ABORT" -> {
                uploads.remove(f[2]);
                uploadKeys.remove(f[2]);
            }
            case "COMPLETE_FAILED", "GC" -> { }
            default -> throw new AssertionError("unknown ack " + String.join(" ", f));
        }
    }

    private static byte[] content(List<long[]> runs) {
        int total = runs.stream().mapToInt(r -> (int) r[1]).sum();
        byte[] out = new byte[total];
        int pos = 0;
        for (long[] r : runs) {
            byte[] b = TestEngines.bytes(r[0], (int) r[1]);
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
        }
        return out;
    }

    /** Reopens the directory and checks it against the model; resolves the in-flight command. */
    private void verify(String[] inFlight) {
        try (Engine e = Engine.open(config(dir))) {
            recoveredSegments += e.recoveryReport().segmentsSealed();
            verifyObjects(e, inFlight);
            verifyUploads(e, inFlight);
            FsckReport fsck = e.fsck(true);
            assertThat(fsck.problems()).as("fsck after recovery").isEmpty();
            assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
            e.collectGarbage();
            for (SegmentSpace s : e.space().values()) {
                assertThat(s.active() || s.deadBytes() == 0).as("garbage left in segment %s", s.segmentId()).isTrue();
            }
            assertThat(e.fsck(false).problems()).as("fsck after collection").isEmpty();
        }
    }

    private void verifyObjects(Engine e, String[] inFlight) {
        String touched = null;
        if (inFlight != null && (inFlight[1].equals("PUT") || inFlight[1].equals("DEL"))) {
            touched = inFlight[2];
        } else if (inFlight != null && inFlight[1].equals("COMPLETE")) {
            touched = inFlight[3];
        }
        Set<String> visible = new HashSet<>();
        for (ObjectInfo o : e.listObjects("b", new ListObjectsQuery(null, null, null, 1000)).objects()) {
            visible.add(o.key());
        }
        Set<String> keys = new HashSet<>(objects.keySet());
        keys.addAll(visible);
        for (String key : keys) {
            byte[] actual = visible.contains(key) ? TestEngines.read(e, "b", key) : null;
            List<long[]> model = objects.get(key);
            byte[] expected = model == null ? null : content(model);
            if (java.util.Arrays.equals(actual, expected)) {
                continue;
            }
            assertThat(key).as("key %s differs from what was acknowledged and was not in flight", key)
                    .isEqualTo(touched);
            List<long[]> after = switch (inFlight[1]) {
                case "PUT" -> List.of(new long[] {Long.parseLong(inFlight[3]), Long.parseLong(inFlight[4])});
                case "DEL" -> null;
                default -> new ArrayList<>(uploads.get(inFlight[2]).values());
            };
            byte[] afterBytes = after == null ? null : content(after);
            assertThat(actual).as("key %s is neither the acknowledged nor the in-flight version", key)
                    .isEqualTo(afterBytes);
            if (after == null) {
                objects.remove(key);
            } else {
                objects.put(key, after);
            }
            if (inFlight[1].equals("COMPLETE")) {
                uploads.remove(inFlight[2]);
                uploadKeys.remove(inFlight[2]);
            }
        }
    }

    private void verifyUploads(Engine e, String[] inFlight) {
        List<UploadInfo> listed = e.listUploads("b", new ListUploadsQuery(null, null, null, null, 1000)).uploads();
        Set<String> listedIds = new HashSet<>();
        for (UploadInfo u : listed) {
            listedIds.add(u.uploadId());
            if (!uploads.containsKey(u.uploadId())) {
                // only an in-flight create may leave an upload the model has not seen
                assertThat(inFlight).as("unknown upload %s", u.uploadId()).isNotNull();
                assertThat(inFlight[1]).isEqualTo("CREATE");
                uploads.put(u.uploadId(), new TreeMap<>());
                uploadKeys.put(u.uploadId(), u.key());
            }
        }
        for (String id : new ArrayList<>(uploads.keySet())) {
            if (!listedIds.contains(id)) {
                boolean finishing = inFlight != null && (inFlight[1].equals("ABORT") || inFlight[1].equals("COMPLETE"))
                        && inFlight[2].equals(id);
                assertThat(finishing).as("upload %s vanished", id).isTrue();
                uploads.remove(id);
                uploadKeys.remove(id);
                continue;
            }
            TreeMap<Integer, long[]> model = uploads.get(id);
            List<PartInfo> parts = e.listParts("b", uploadKeys.get(id), id, 1000, 0).parts();
            Map<Integer, PartInfo> actual = new TreeMap<>();
            parts.forEach(p -> actual.put(p.partNumber(), p));
            boolean partInFlight = inFlight != null && inFlight[1].equals("PART") && inFlight[2].equals(id);
            for (int n : new HashSet<>(union(model.keySet(), actual.keySet()))) {
                long[] m = model.get(n);
                PartInfo a = actual.get(n);
                String expectedEtag = m == null ? null : etag(m);
                String actualEtag = a == null ? null : a.etag();
                if (java.util.Objects.equals(expectedEtag, actualEtag)) {
                    continue;
                }
                assertThat(partInFlight && Integer.parseInt(inFlight[4]) == n)
                        .as("part %d of %s differs and was not in flight", n, id).isTrue();
                long[] flying = {Long.parseLong(inFlight[5]), Long.parseLong(inFlight[6])};
                assertThat(actualEtag).isEqualTo(etag(flying));
                model.put(n, flying);
            }
        }
        // a few open uploads are enough: abort the oldest ones to keep rounds quick
        while (uploads.size() > 4) {
            String id = uploads.keySet().iterator().next();
            e.abortUpload("b", uploadKeys.get(id), id);
            uploads.remove(id);
            uploadKeys.remove(id);
        }
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    private static String etag(long[] run) {
        return io.tessera.engine.object.Etags.of(io.tessera.engine.object.Etags.md5()
                .digest(TestEngines.bytes(run[0], (int) run[1])));
    }

    /** Used by tests that expect the engine to refuse a command. */
    static boolean isNoSuchUpload(EngineException e) {
        return e.code() == ErrorCode.NO_SUCH_UPLOAD;
    }
}
