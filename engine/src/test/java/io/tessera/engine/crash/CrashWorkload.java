package io.tessera.engine.crash;

import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PartInfo;
import io.tessera.engine.UploadOptions;
import io.tessera.engine.testkit.TestEngines;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The child process of the kill -9 campaign: a random, single-threaded workload on a real engine
 * that announces each command before it starts ({@code BEGIN ...}) and after the engine acknowledged
 * it ({@code ACK ...}). The parent kills it at random moments and checks what survived.
 *
 * <p>Usage: {@code CrashWorkload <dataDir> <seed> <maxOps>}.
 */
public final class CrashWorkload {
    static final int KEYS = 12;
    static final int MAX_SIZE = 600_000;
    static final int SMALL_SIZE = (int) io.tessera.engine.EngineConfig.DEFAULT_SMALL_BODY_LIMIT;

    private final Engine engine;
    private final Random rnd;
    private final PrintStream out;
    private final Map<String, Map<Integer, String>> openUploads = new LinkedHashMap<>(); // id -> part -> etag
    private final Map<String, String> uploadKeys = new LinkedHashMap<>();

    private CrashWorkload(Engine engine, long seed, PrintStream out) {
        this.engine = engine;
        this.rnd = new Random(seed);
        this.out = out;
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int maxOps = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        try (Engine engine = Engine.open(CrashCampaign.config(dir))) {
            try {
                engine.createBucket("b", TestEngines.OWNER);
            } catch (EngineException e) {
                if (e.code() != ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU) {
                    throw e;
                }
            }
            say(out, "READY");
            CrashWorkload w = new CrashWorkload(engine, seed, out);
            for (int i = 0; i < maxOps; i++) {
                w.step();
            }
            say(out, "DONE");
        }
    }

    static void say(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }

    private void step() {
        int dice = rnd.nextInt(100);
        String key = "k" + rnd.nextInt(KEYS);
        long seed = rnd.nextLong();
        if (dice < 30) {
            // half of them small: group-committed in the segment small bodies share
            int size = rnd.nextBoolean() ? rnd.nextInt(SMALL_SIZE + 1) : rnd.nextInt(MAX_SIZE);
            say(out, "BEGIN PUT " + key + " " + seed + " " + size);
            ObjectInfo o = TestEngines.put(engine, "b", key, TestEngines.bytes(seed, size));
            say(out, "ACK PUT " + key + " " + seed + " " + size + " " + o.etag());
        } else if (dice < 38) {
            say(out, "BEGIN DEL " + key);
            engine.deleteObject("b", key);
            say(out, "ACK DEL " + key);
        } else if (dice < 46 || openUploads.isEmpty()) {
            say(out, "BEGIN CREATE " + key);
            String id = engine.createUpload("b", key, UploadOptions.of(ObjectMetadata.EMPTY, TestEngines.OWNER))
                    .uploadId();
            openUploads.put(id, new LinkedHashMap<>());
            uploadKeys.put(id, key);
            say(out, "ACK CREATE " + key + " " + id);
        } else if (dice < 80) {
            String id = pick();
            int n = 1 + rnd.nextInt(4);
            int size = (int) TestEngines.MIN_PART + rnd.nextInt(MAX_SIZE / 2);
            String k = uploadKeys.get(id);
            say(out, "BEGIN PART " + id + " " + k + " " + n + " " + seed + " " + size);
            PartInfo p = TestEngines.part(engine, "b", k, id, n, TestEngines.bytes(seed, size));
            openUploads.get(id).put(n, p.etag());
            say(out, "ACK PART " + id + " " + k + " " + n + " " + seed + " " + size);
        } else if (dice < 88) {
            String id = pick();
            String k = uploadKeys.get(id);
            List<CompletedPart> parts = new ArrayList<>();
            new java.util.TreeMap<>(openUploads.get(id)).forEach((n, etag) -> parts.add(new CompletedPart(n, etag, null)));
            say(out, "BEGIN COMPLETE " + id + " " + k);
            try {
                ObjectInfo o = engine.completeUpload("b", k, id, parts, CompleteOptions.NONE);
                say(out, "ACK COMPLETE " + id + " " + k + " " + o.etag());
            } catch (EngineException e) {
                say(out, "ACK COMPLETE_FAILED " + id + " " + k + " " + e.code()); // e.g. no parts
            }
            openUploads.remove(id);
        } else if (dice < 94) {
            String id = pick();
            String k = uploadKeys.get(id);
            say(out, "BEGIN ABORT " + id + " " + k);
            engine.abortUpload("b", k, id);
            openUploads.remove(id);
            say(out, "ACK ABORT " + id + " " + k);
        } else {
            say(out, "BEGIN GC");
            engine.collectGarbage();
            say(out, "ACK GC");
        }
    }

    private String pick() {
        List<String> ids = new ArrayList<>(openUploads.keySet());
        return ids.get(rnd.nextInt(ids.size()));
    }
}
