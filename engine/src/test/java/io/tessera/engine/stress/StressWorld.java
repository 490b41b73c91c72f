package io.tessera.engine.stress;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.FileSlice;
import io.tessera.engine.ObjectContent;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PutOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.SlowDown;
import io.tessera.engine.testkit.TestEngines;
import io.tessera.engine.testkit.VersionHistory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the threads of a stress run share: the engine, the keys and their version histories, the open
 * uploads, the clock, the tally, and the read and write procedures every task uses, so that every
 * read is judged the same way.
 *
 * <p>Thread-safe.
 */
final class StressWorld {
    static final String BUCKET = "b";
    /** How long a write keeps retrying SLOW_DOWN before it counts as refused for good. */
    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final int VERSIONED_KEYS = 2;

    final Engine engine;
    final List<String> keys;
    final Map<String, VersionHistory<ObjectImage>> histories = new ConcurrentHashMap<>();
    final Map<String, OpenUpload> uploads = new ConcurrentHashMap<>();
    /** bodyId → who wrote it, to explain wrong reads. */
    final Map<Long, String> bodies = new ConcurrentHashMap<>();
    final Ticks ticks = new Ticks();
    final Tally tally = new Tally();
    final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong bodyIds = new AtomicLong();
    final VersionedKeys versioned;

    StressWorld(Engine engine, int keyCount) {
        this.engine = engine;
        List<String> k = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            k.add("k" + i);
            histories.put("k" + i, new VersionHistory<>(null, "never written"));
        }
        this.keys = List.copyOf(k);
        this.versioned = new VersionedKeys(this, VERSIONED_KEYS);
    }

    /** The bucket a key of the run lives in: the versioned bucket's keys have their own prefix. */
    static String bucketOf(String key) {
        return key.startsWith(VersionedKeys.KEY_PREFIX) ? VersionedKeys.BUCKET : BUCKET;
    }

    /** A key that only one thread writes (a copy destination). */
    void addPrivateKey(String key) {
        histories.put(key, new VersionHistory<>(null, "never written"));
    }

    /** The index a key's bodies carry ({@code k3} → 3; the versioned bucket's keys have their own). */
    static int keyIndex(String key) {
        return key.startsWith(VersionedKeys.KEY_PREFIX) ? VersionedKeys.keyIndex(key)
                : Integer.parseInt(key.substring(1));
    }

    long newBody(String what) {
        long id = bodyIds.incrementAndGet();
        bodies.put(id, what);
        return id;
    }

    <T> T write(Supplier<T> call) {
        return SlowDown.retry(call, PATIENCE, tally.slowDowns);
    }

    /** Streams {@code body} into a fresh writer in uneven chunks, as a network client would. */
    static <R> R stream(Supplier<BodyWriter<R>> begin, byte[] body, Random rnd) {
        try (BodyWriter<R> w = begin.get()) {
            int pos = 0;
            while (pos < body.length) {
                int n = Math.min(body.length - pos, 1 + rnd.nextInt(96 * 1024));
                w.write(ByteBuffer.wrap(body, pos, n));
                pos += n;
            }
            return w.commit(BodyExpectations.NONE);
        }
    }

    ObjectInfo put(String key, byte[] body, Random rnd) {
        return put(BUCKET, key, body, rnd);
    }

    ObjectInfo put(String bucket, String key, byte[] body, Random rnd) {
        PutOptions options = PutOptions.of(ObjectMetadata.EMPTY, TestEngines.OWNER).withExpectedLength(body.length);
        return write(() -> stream(() -> engine.beginPutObject(bucket, key, options), body, rnd));
    }

    /** Forgets versions no read may return any more. */
    void prune(VersionHistory<ObjectImage> h) {
        h.prune(ticks.oldestRead());
    }

    /**
     * Reads {@code range} of {@code key} through the stream or the file slices and judges the result
     * against every version the key may hold during the read.
     */
    void read(String key, ReadRange range, boolean viaSlices) {
        String how = "read " + key + " " + range + (viaSlices ? " via slices" : " via stream");
        long begun = ticks.beginRead();
        try {
            long ended = -1;
            Outcome outcome;
            try (ObjectContent c = engine.getObject(bucketOf(key), key, range)) {
                ended = ticks.next();
                byte[] bytes = viaSlices ? readSlices(c) : c.stream().readAllBytes();
                outcome = new Outcome.Data(c.info().size(), c.firstByte(), bytes);
                tally.bytesRead.add(bytes.length);
            } catch (EngineException e) {
                if (ended < 0) {
                    ended = ticks.next();
                }
                if (!Outcome.isRefusal(e.code())) {
                    tally.error(how, e);
                    return;
                }
                outcome = new Outcome.Refused(e.code());
            } catch (IOException | RuntimeException e) {
                tally.error(how, e);
                return;
            } finally {
                tally.reads.increment();
            }
            judge(key, how, range, begun, ended, outcome);
        } finally {
            ticks.endRead(begun);
        }
    }

    /** Judges a read of {@code key} spanning [begun, ended]; returns the version that explains it or null. */
    VersionHistory.Version<ObjectImage> judge(String key, String how, ReadRange range, long begun, long ended,
                                              Outcome outcome) {
        List<VersionHistory.Version<ObjectImage>> candidates = histories.get(key).admissible(begun, ended);
        VersionHistory.Version<ObjectImage> v = outcome.explainedBy(candidates, range);
        if (v != null) {
            return v;
        }
        String what = how + " returned " + outcome + " but the key could only hold " + candidates;
        boolean mustExist = candidates.stream().noneMatch(VersionHistory.Version::absent);
        if (outcome instanceof Outcome.Refused r && r.code() == ErrorCode.NO_SUCH_KEY && mustExist) {
            tally.lost(what);
        } else if (outcome instanceof Outcome.Data d) {
            tally.wrong(what + ";" + Outcome.diagnose(d, range, candidates, bodies));
        } else {
            tally.wrong(what);
        }
        return null;
    }

    /** Reads every slice through its file channel, as a zero-copy send would. */
    static byte[] readSlices(ObjectContent c) throws IOException {
        byte[] out = new byte[Math.toIntExact(c.length())];
        ByteBuffer dst = ByteBuffer.wrap(out);
        Iterator<FileSlice> it = c.slices();
        while (it.hasNext()) {
            FileSlice s = it.next();
            if (s.length() > dst.remaining()) {
                throw new IOException("slices hold more than the " + out.length + " bytes announced");
            }
            ByteBuffer view = dst.slice(dst.position(), (int) s.length());
            long pos = s.position();
            while (view.hasRemaining()) {
                int n = s.channel().read(view, pos);
                if (n < 0) {
                    throw new IOException("slice at " + s.position() + "+" + s.length() + " ends early in its file");
                }
                pos += n;
            }
            dst.position(dst.position() + (int) s.length());
        }
        if (dst.hasRemaining()) {
            throw new IOException("slices hold " + dst.position() + " of the " + out.length + " bytes announced");
        }
        return out;
    }
}
