package io.tessera.engine.crash;

import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PartInfo;
import io.tessera.engine.UploadOptions;
import io.tessera.engine.testkit.BodyPattern;
import io.tessera.engine.testkit.SlowDown;
import io.tessera.engine.testkit.TestEngines;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The child of the concurrent kill -9 campaign: {@value #WORKERS} threads put, overwrite and delete
 * objects and run multipart uploads they share (so parts, completes and aborts race), while another
 * thread runs full collection cycles back to back. Every command is announced on stdout before it
 * starts ({@code BEGIN <op> ...}) and once the engine acknowledged it ({@code ACK <op> ...}); a
 * refusal that means the command did not happen is {@code REFUSED <op> <code>}, anything else
 * {@code ERROR <op> <code> <message>}. Bodies are {@link BodyPattern}s, named by id and size, so the
 * parent can regenerate every byte. Lines go to a pipe the parent reads, which survives SIGKILL.
 *
 * <p>Usage: {@code ConcurrentCrashWorkload <dataDir> <seed> <maxOps> <firstBodyId>}.
 */
public final class ConcurrentCrashWorkload {
    static final int WORKERS = 3;
    static final int KEYS = 8;
    static final int PART_NUMBERS = 4;
    private static final PrintStream OUT = System.out;

    private final Engine engine;
    private final AtomicLong ops = new AtomicLong();
    private final AtomicLong opIds = new AtomicLong();
    private final AtomicLong bodyIds;
    private final int maxOps;
    private final LongAdder slowDowns = new LongAdder();
    /** uploadId → key and part number → "bodyId:size" (acknowledged), shared by all workers. */
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    private record Upload(String key, Map<Integer, String> parts) {
    }

    private ConcurrentCrashWorkload(Engine engine, int maxOps, long firstBodyId) {
        this.engine = engine;
        this.maxOps = maxOps;
        this.bodyIds = new AtomicLong(firstBodyId);
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int maxOps = Integer.parseInt(args[2]);
        long firstBodyId = Long.parseLong(args[3]);
        try (Engine engine = Engine.open(CrashCampaign.config(dir))) {
            try {
                engine.createBucket("b", TestEngines.OWNER);
            } catch (EngineException e) {
                if (e.code() != ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU) {
                    throw e;
                }
            }
            say("READY");
            ConcurrentCrashWorkload w = new ConcurrentCrashWorkload(engine, maxOps, firstBodyId);
            AtomicBoolean done = new AtomicBoolean();
            Thread gc = new Thread(() -> {
                while (!done.get()) {
                    try {
                        engine.collectGarbage();
                    } catch (RuntimeException e) {
                        say("ERROR gc " + code(e) + " " + e);
                    }
                }
            }, "crash-gc");
            gc.start();
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                Random rnd = new Random(seed + i);
                Thread t = new Thread(() -> {
                    while (w.ops.incrementAndGet() <= maxOps) {
                        w.step(rnd);
                    }
                }, "crash-worker-" + i);
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) {
                t.join();
            }
            done.set(true);
            gc.join();
            say("DONE slowDowns=" + w.slowDowns.sum());
        }
    }

    /** One line at a time, flushed: the parent must see every acknowledgement before a kill. */
    static synchronized void say(String line) {
        OUT.println(line);
        OUT.flush();
    }

    private static String code(RuntimeException e) {
        return e instanceof EngineException ee ? ee.code().name() : e.getClass().getSimpleName();
    }

    private <T> T write(Supplier<T> call) {
        return SlowDown.retry(call, Duration.ofSeconds(10), slowDowns);
    }

    private void step(Random rnd) {
        int dice = rnd.nextInt(100);
        String key = "k" + rnd.nextInt(KEYS);
        List<String> open = new ArrayList<>(uploads.keySet());
        String op = Long.toString(opIds.incrementAndGet());
        try {
            if (dice < 35) {
                put(op, key, rnd);
            } else if (dice < 45) {
                say("BEGIN " + op + " DEL " + key);
                write(() -> {
                    engine.deleteObject("b", key);
                    return null;
                });
                say("ACK " + op);
            } else if (dice < 52 || open.isEmpty()) {
                say("BEGIN " + op + " CREATE " + key);
                String id = write(() -> engine.createUpload("b", key,
                        UploadOptions.of(ObjectMetadata.EMPTY, TestEngines.OWNER))).uploadId();
                say("ACK " + op + " " + id);
                uploads.put(id, new Upload(key, new ConcurrentHashMap<>())); // only now may others use it
            } else if (dice < 80) {
                part(op, open.get(rnd.nextInt(open.size())), rnd);
            } else if (dice < 93) {
                complete(op, open.get(rnd.nextInt(open.size())), rnd);
            } else {
                String id = open.get(rnd.nextInt(open.size()));
                Upload up = uploads.get(id);
                if (up == null) {
                    return; // finished meanwhile
                }
                say("BEGIN " + op + " ABORT " + id + " " + up.key());
                write(() -> {
                    engine.abortUpload("b", up.key(), id);
                    return null;
                });
                uploads.remove(id);
                say("ACK " + op);
            }
        } catch (EngineException e) {
            if (e.code() == ErrorCode.NO_SUCH_UPLOAD || e.code() == ErrorCode.INVALID_PART) {
                say("REFUSED " + op + " " + e.code()); // another worker finished the upload or replaced a part
            } else {
                say("ERROR " + op + " " + e.code() + " " + e.getMessage());
            }
        } catch (RuntimeException e) {
            say("ERROR " + op + " " + e);
        }
    }

    private void put(String op, String key, Random rnd) {
        int dice = rnd.nextInt(4);
        int size = dice == 0 ? 256 * 1024 + rnd.nextInt(44 * 1024)
                : dice == 1 ? rnd.nextInt((int) io.tessera.engine.EngineConfig.DEFAULT_SMALL_BODY_LIMIT + 1) // group commit
                : rnd.nextInt(256 * 1024);
        long bodyId = bodyIds.incrementAndGet();
        byte[] body = BodyPattern.body(bodyId, index(key), size);
        say("BEGIN " + op + " PUT " + key + " " + bodyId + " " + size);
        write(() -> TestEngines.put(engine, "b", key, body));
        say("ACK " + op);
    }

    private void part(String op, String id, Random rnd) {
        Upload up = uploads.get(id);
        if (up == null) {
            return; // finished meanwhile
        }
        int n = 1 + rnd.nextInt(PART_NUMBERS);
        int size = (int) TestEngines.MIN_PART + rnd.nextInt(300 * 1024);
        long bodyId = bodyIds.incrementAndGet();
        byte[] body = BodyPattern.body(bodyId, index(up.key()), size);
        say("BEGIN " + op + " PART " + id + " " + up.key() + " " + n + " " + bodyId + " " + size);
        PartInfo p = write(() -> TestEngines.part(engine, "b", up.key(), id, n, body));
        up.parts().put(n, bodyId + ":" + size + ":" + p.etag());
        say("ACK " + op);
    }

    private void complete(String op, String id, Random rnd) {
        Upload up = uploads.get(id);
        if (up == null) {
            return;
        }
        Map<Integer, String> parts = new TreeMap<>(up.parts());
        if (parts.size() > 1 && rnd.nextBoolean()) {
            List<Integer> numbers = new ArrayList<>(parts.keySet());
            parts.remove(numbers.get(rnd.nextInt(numbers.size()))); // complete a subset
        }
        if (parts.isEmpty()) {
            return;
        }
        List<CompletedPart> list = new ArrayList<>();
        StringBuilder line = new StringBuilder("BEGIN " + op + " COMPLETE " + id + " " + up.key() + " ");
        parts.forEach((n, v) -> {
            String[] f = v.split(":");
            list.add(new CompletedPart(n, f[2], null));
            line.append(n).append(':').append(f[0]).append(':').append(f[1]).append(',');
        });
        say(line.toString());
        write(() -> engine.completeUpload("b", up.key(), id, list, CompleteOptions.NONE));
        uploads.remove(id);
        say("ACK " + op);
    }

    static int index(String key) {
        return Integer.parseInt(key.substring(1));
    }
}
