package io.tessera.engine.checksum;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Prints {@link Crc64Nvme} throughput on one core for heap and direct buffers at a few chunk sizes. A main, not a
 * test, so timings never gate the build. Run after {@code mvn -pl engine test-compile}:
 * {@code java -cp engine/target/classes:engine/target/test-classes io.tessera.engine.checksum.Crc64NvmeThroughput}.
 */
public final class Crc64NvmeThroughput {

    private Crc64NvmeThroughput() {
    }

    public static void main(String[] args) {
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        Crc64Nvme crc = new Crc64Nvme();
        int rounds = 1024;
        for (int pass = 0; pass < 2; pass++) {
            // The first pass warms up the JIT; only the second is representative.
            for (int chunk : new int[] {1 << 20, 64 << 10, 8 << 10, 1 << 10}) {
                double heap = 0;
                double off = 0;
                for (int repeat = 0; repeat < 5; repeat++) {
                    long t0 = System.nanoTime();
                    for (int r = 0; r < rounds; r++) {
                        for (int pos = 0; pos < data.length; pos += chunk) {
                            crc.update(data, pos, chunk);
                        }
                    }
                    long t1 = System.nanoTime();
                    for (int r = 0; r < rounds; r++) {
                        for (int pos = 0; pos < data.length; pos += chunk) {
                            crc.update(direct.limit(pos + chunk).position(pos));
                        }
                    }
                    long t2 = System.nanoTime();
                    heap = Math.max(heap, (double) rounds * data.length / (t1 - t0));
                    off = Math.max(off, (double) rounds * data.length / (t2 - t1));
                }
                System.out.printf("pass %d, %7d-byte updates: heap %.2f GB/s, direct %.2f GB/s%n",
                        pass, chunk, heap, off);
            }
        }
        System.out.printf("(%016x)%n", crc.getValue());
    }
}
