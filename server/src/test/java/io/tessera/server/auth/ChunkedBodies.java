package io.tessera.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** An independent aws-chunked encoder for tests, producing all three wire forms. */
final class ChunkedBodies {
    static final String EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** Signing context of a test stream. */
    record Context(byte[] signingKey, String amzDate, String scope, String seed) {
        static Context sample() {
            byte[] key = TestCrypto.signingKey("secret", "20240102", "us-east-1");
            return new Context(key, "20240102T030405Z", "20240102/us-east-1/s3/aws4_request",
                    TestCrypto.hex(TestCrypto.sha256("seed".getBytes(StandardCharsets.UTF_8))));
        }

        AuthResult auth(PayloadMode mode) {
            return new AuthResult(new Credential("AK", "secret", "o", "o"), mode, signingKey, seed, amzDate, scope,
                    mode.token(), false);
        }
    }

    private ChunkedBodies() {
    }

    /**
     * Encodes {@code data} in chunks of the given sizes (cycled; the last chunk takes the remainder),
     * then the final zero chunk and, for trailer forms, {@code trailers}.
     */
    static byte[] encode(PayloadMode mode, Context ctx, byte[] data, int[] chunkSizes, Map<String, String> trailers,
            boolean upperHex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 1024);
        String prev = ctx.seed();
        int off = 0;
        int i = 0;
        while (true) {
            int n = off >= data.length ? 0 : Math.min(chunkSizes[i++ % chunkSizes.length], data.length - off);
            byte[] chunk = Arrays.copyOfRange(data, off, off + n);
            String size = Integer.toHexString(n);
            write(out, upperHex ? size.toUpperCase(Locale.ROOT) : size);
            if (mode.isChunkSigned()) {
                String sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + ctx.amzDate() + "\n" + ctx.scope() + "\n" + prev + "\n"
                        + EMPTY_SHA + "\n" + TestCrypto.sha256Hex(chunk);
                prev = TestCrypto.hex(TestCrypto.hmac(ctx.signingKey(), sts));
                write(out, ";chunk-signature=" + prev);
            }
            write(out, "\r\n");
            if (n == 0) {
                break;
            }
            out.write(chunk, 0, n);
            write(out, "\r\n");
            off += n;
        }
        if (mode.hasTrailer()) {
            StringBuilder canonical = new StringBuilder();
            new TreeMap<>(trailers).forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
            trailers.forEach((k, v) -> write(out, k + ":" + v + "\r\n"));
            if (mode == PayloadMode.STREAMING_SIGNED_TRAILER) {
                String sts = "AWS4-HMAC-SHA256-TRAILER\n" + ctx.amzDate() + "\n" + ctx.scope() + "\n" + prev + "\n"
                        + TestCrypto.sha256Hex(canonical.toString());
                write(out, "x-amz-trailer-signature:" + TestCrypto.hex(TestCrypto.hmac(ctx.signingKey(), sts)) + "\r\n");
            }
        }
        write(out, "\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
    }
}
