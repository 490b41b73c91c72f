package io.tessera.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

/**
 * A generated aws-chunked body for the wire properties: an encoder independent of the production code
 * that knows, for every wire byte, whether it carries payload and which payload byte. It varies what
 * senders may vary: chunk sizes, hex case, leading zeros, trailer order, padding around trailer values
 * and the optional line end after the trailer section.
 *
 * @param form        how the body is protected
 * @param data        the payload
 * @param bytes       the body as sent
 * @param payloadAt   for each wire byte, the index of the payload byte it carries, or -1 for framing
 *
 * <p>Its arrays are shared, not copied: treat them as read-only. Thread-safe as long as nobody writes them.
 */
record ChunkedWire(Form form, byte[] data, byte[] bytes, int[] payloadAt) {
    static final String CHECKSUM_TRAILER = "x-amz-checksum-crc32";

    /** The body forms: the three aws-chunked modes, the trailer ones with or without a CRC32 trailer. */
    enum Form {
        SIGNED(PayloadMode.STREAMING_SIGNED, false),
        SIGNED_TRAILER_CHECKSUM(PayloadMode.STREAMING_SIGNED_TRAILER, true),
        SIGNED_TRAILER_BARE(PayloadMode.STREAMING_SIGNED_TRAILER, false),
        UNSIGNED_TRAILER_CHECKSUM(PayloadMode.STREAMING_UNSIGNED_TRAILER, true),
        UNSIGNED_TRAILER_BARE(PayloadMode.STREAMING_UNSIGNED_TRAILER, false);

        final PayloadMode mode;
        final boolean checksum;

        Form(PayloadMode mode, boolean checksum) {
            this.mode = mode;
            this.checksum = checksum;
        }

        /** Whether anything (a signature or a checksum) proves the payload bytes. */
        boolean payloadProven() {
            return mode.isChunkSigned() || checksum;
        }
    }

    /**
     * How to frame the payload.
     *
     * @param chunkSizes      sizes of the data chunks, cycled; the last chunk takes what is left
     * @param upperHex        chunk sizes in upper-case hex
     * @param leadingZeros    zeros before each chunk size
     * @param extraTrailers   more trailing headers (name, value) beside the checksum
     * @param checksumAt      where the checksum trailer goes among the extra ones
     * @param padding         spaces or tabs around every trailer value
     * @param finalLineEnd    whether the empty line closing the trailer section is sent
     */
    record Framing(List<Integer> chunkSizes, boolean upperHex, int leadingZeros,
                   List<Map.Entry<String, String>> extraTrailers, int checksumAt, String padding,
                   boolean finalLineEnd) {
    }

    /** Encodes {@code data} in {@code form}, signing with {@code ctx} where the form is signed. */
    static ChunkedWire encode(Form form, ChunkedBodies.Context ctx, byte[] data, Framing f) {
        Out out = new Out(data.length + 256);
        String prev = ctx.seed();
        int off = 0;
        int i = 0;
        while (true) {
            int n = off >= data.length ? 0 : Math.min(f.chunkSizes().get(i++ % f.chunkSizes().size()), data.length - off);
            String hex = Integer.toHexString(n);
            out.framing("0".repeat(f.leadingZeros()) + (f.upperHex() ? hex.toUpperCase(Locale.ROOT) : hex));
            if (form.mode.isChunkSigned()) {
                byte[] chunk = Arrays.copyOfRange(data, off, off + n);
                String sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + ctx.amzDate() + "\n" + ctx.scope() + "\n" + prev + "\n"
                        + ChunkedBodies.EMPTY_SHA + "\n" + TestCrypto.sha256Hex(chunk);
                prev = TestCrypto.hex(TestCrypto.hmac(ctx.signingKey(), sts));
                out.framing(";chunk-signature=" + prev);
            }
            out.framing("\r\n");
            if (n == 0) {
                break;
            }
            out.payload(data, off, n);
            out.framing("\r\n");
            off += n;
        }
        if (form.mode.hasTrailer()) {
            List<Map.Entry<String, String>> trailers = new ArrayList<>(f.extraTrailers());
            if (form.checksum) {
                trailers.add(Math.min(f.checksumAt(), trailers.size()), Map.entry(CHECKSUM_TRAILER, crc32(data)));
            }
            for (Map.Entry<String, String> t : trailers) {
                out.framing(t.getKey() + ":" + f.padding() + t.getValue() + f.padding() + "\r\n");
            }
            if (form.mode == PayloadMode.STREAMING_SIGNED_TRAILER) {
                StringBuilder canonical = new StringBuilder();
                trailers.stream().sorted(Map.Entry.comparingByKey())
                        .forEach(t -> canonical.append(t.getKey()).append(':').append(t.getValue()).append('\n'));
                String sts = "AWS4-HMAC-SHA256-TRAILER\n" + ctx.amzDate() + "\n" + ctx.scope() + "\n" + prev + "\n"
                        + TestCrypto.sha256Hex(canonical.toString());
                out.framing("x-amz-trailer-signature:" + TestCrypto.hex(TestCrypto.hmac(ctx.signingKey(), sts)) + "\r\n");
            }
        }
        if (f.finalLineEnd()) {
            out.framing("\r\n");
        }
        return new ChunkedWire(form, data, out.bytes.toByteArray(), out.map());
    }

    /** Base64 of the big-endian CRC32 of {@code data}, as S3 sends it. */
    static String crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Offsets of the framing bytes (everything that is not payload). */
    int[] framingOffsets() {
        return IntStream.range(0, bytes.length).filter(i -> payloadAt[i] < 0).toArray();
    }

    /** The wire offset of payload byte {@code n}. */
    int payloadOffset(int n) {
        for (int i = 0; i < payloadAt.length; i++) {
            if (payloadAt[i] == n) {
                return i;
            }
        }
        throw new IllegalArgumentException("no payload byte " + n);
    }

    /** The wire bytes with a byte builder that records the payload map. */
    private static final class Out {
        final ByteArrayOutputStream bytes;
        int[] map = new int[256];

        Out(int capacity) {
            bytes = new ByteArrayOutputStream(capacity);
        }

        void framing(String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            mark(b.length, -1);
            bytes.write(b, 0, b.length);
        }

        void payload(byte[] data, int off, int n) {
            int at = bytes.size();
            grow(at + n);
            for (int k = 0; k < n; k++) {
                map[at + k] = off + k;
            }
            bytes.write(data, off, n);
        }

        private void mark(int n, int value) {
            int at = bytes.size();
            grow(at + n);
            Arrays.fill(map, at, at + n, value);
        }

        private void grow(int size) {
            if (size > map.length) {
                map = Arrays.copyOf(map, Math.max(size, map.length * 2));
            }
        }

        int[] map() {
            return Arrays.copyOf(map, bytes.size());
        }
    }
}
