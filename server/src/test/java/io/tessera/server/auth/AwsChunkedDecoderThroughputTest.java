package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rough decode throughput of signed aws-chunked bodies (64 KiB chunks and feeds, heap buffers).
 * Tagged {@code campaign}: excluded from the normal run; run with
 * {@code -Dtessera.excludedGroups=none -Dtest=AwsChunkedDecoderThroughputTest}.
 */
@Tag("campaign")
class AwsChunkedDecoderThroughputTest {

    @Test
    void signedChunkThroughput() {
        byte[] data = new byte[64 << 20];
        new Random(1).nextBytes(data);
        ChunkedBodies.Context ctx = ChunkedBodies.Context.sample();
        for (PayloadMode mode : new PayloadMode[] {PayloadMode.STREAMING_SIGNED, PayloadMode.STREAMING_UNSIGNED_TRAILER}) {
            byte[] wire = ChunkedBodies.encode(mode, ctx, data, new int[] {65536},
                    mode.hasTrailer() ? Map.of("x-amz-checksum-crc32", "AAAAAA==") : Map.of(), false);
          for (int feed : new int[] {65536, 8192}) {
            double best = 0;
            for (int round = 0; round < 15; round++) {
                long[] sum = {0};
                long t0 = System.nanoTime();
                AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(ctx.auth(mode), data.length);
                for (int off = 0; off < wire.length; off += feed) {
                    d.feed(ByteBuffer.wrap(wire, off, Math.min(feed, wire.length - off)), b -> sum[0] += b.remaining());
                }
                d.finish();
                long ns = System.nanoTime() - t0;
                assertThat(sum[0]).isEqualTo(data.length);
                best = Math.max(best, data.length / (ns / 1e9) / 1e6);
            }
            System.out.printf("%s decode: %.0f MB/s (best of 15, 64 MiB, 64 KiB chunks, %d-byte feeds)%n",
                    mode, best, feed);
          }
        }
    }
}
