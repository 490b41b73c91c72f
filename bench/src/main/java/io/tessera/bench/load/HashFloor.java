package io.tessera.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;

/**
 * The hashes an ingesting node cannot avoid, timed in this JVM on one thread over the same random
 * bytes the multipart phases send: the floor the node's CPU-seconds per GB are held against. Each
 * part gets an MD5 (its ETag); each 128 KiB chunk (the SDK's aws-chunked chunk size) also gets a
 * SHA-256 of its own for {@link Kind#MD5_SHA256} (the chunk signatures of a signed body), or feeds
 * the part's CRC32 for {@link Kind#MD5_CRC32} (the SDK's default trailer checksum). Time is this
 * thread's CPU time ({@link ThreadMXBean}), so other processes on the machine do not inflate it.
 *
 * <p>{@link #warmUp()} first: the MD5, SHA-256 and CRC32 intrinsics only run once C2 has compiled
 * their callers, which takes some ten thousand calls. Not thread-safe.
 */
final class HashFloor {
    /** SDK v2's aws-chunked chunk size. */
    static final int CHUNK = 128 * 1024;
    private static final int WARMUP_CALLS = 24_000;
    private static final int WARMUP_SLICE = 4096;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Which floor. */
    enum Kind {
        MD5_SHA256("floor: MD5+SHA-256"),
        MD5_CRC32("floor: MD5+CRC32");

        private final String phase;

        Kind(String phase) {
            this.phase = phase;
        }

        /** The row's name in the table. */
        String phase() {
            return phase;
        }
    }

    private final byte[] part;
    private final MessageDigest md5;
    private final MessageDigest sha256;
    private final CRC32 crc = new CRC32();
    /** Written, never read: keeps the JIT from proving the digests unused. */
    private long sink;

    /** @param part one part's bytes, hashed over and over */
    HashFloor(byte[] part) {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        this.part = part;
        try {
            md5 = MessageDigest.getInstance("MD5");
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Enough small calls for C2 to compile the hashing paths with their intrinsics, then one full pass each. */
    void warmUp() {
        for (Kind k : Kind.values()) {
            int calls = 0;
            while (calls < WARMUP_CALLS) {
                pass(k, WARMUP_SLICE);
                calls += (part.length + WARMUP_SLICE - 1) / WARMUP_SLICE;
            }
            pass(k, CHUNK);
        }
    }

    /** Hashes at least {@code bytes} (whole parts) and reports the CPU it took as a table row. */
    Result measure(Kind kind, long bytes) {
        int parts = (int) Math.max(1, (bytes + part.length - 1) / part.length);
        Latencies perPart = new Latencies();
        double load = Meter.loadAverage();
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < parts; i++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            pass(kind, CHUNK);
            perPart.add(THREADS.getCurrentThreadCpuTime() - t0);
        }
        double cpu = (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
        return Result.floor(kind.phase(), parts, (long) parts * part.length, cpu, perPart, load);
    }

    /** One part through the kind's hashes, fed in {@code slice}-byte pieces. */
    private void pass(Kind kind, int slice) {
        for (int off = 0; off < part.length; off += slice) {
            int n = Math.min(slice, part.length - off);
            md5.update(part, off, n);
            if (kind == Kind.MD5_SHA256) {
                sha256.update(part, off, n);
                sink += sha256.digest()[0];
            } else {
                crc.update(part, off, n);
            }
        }
        sink += md5.digest()[0] + crc.getValue();
        crc.reset();
    }
}
