package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.auth.ChunkedWire.Form;
import io.tessera.server.auth.ChunkedWire.Framing;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tessera.server.fuzz.FuzzScale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The aws-chunked decoder against generated wire bodies in every form (signed, signed with a trailer,
 * unsigned with a trailer; the trailer forms with and without a CRC32 checksum), with chunk sizes from
 * one byte up, hex sizes in either case and with leading zeros, trailers in any order and padding, with
 * or without the final line end, fed in arbitrary network buffers:
 * <ul>
 *   <li>a valid body decodes to its payload and its trailers, and verifies;</li>
 *   <li>a body with any one byte changed is refused (an {@link S3Exception} of the decoder, or the
 *       CRC32 trailer not matching, as the server would check it) or yields the very same payload.
 *       The one exception is inherent to the protocol: an unsigned body without a checksum has nothing
 *       that proves its data bytes, so a changed data byte arrives changed; a changed framing byte must
 *       still never shift, drop or add payload.</li>
 * </ul>
 */
@Tag(FuzzScale.TAG)
@AddLifecycleHook(FuzzScale.class)
class AwsChunkedWireProperties {
    static final ChunkedBodies.Context CTX = ChunkedBodies.Context.sample();

    @Property(tries = 200)
    void validBodiesDecodeWhateverTheSplits(@ForAll Form form, @ForAll("largeBodies") byte[] data,
            @ForAll("framings") Framing framing, @ForAll("cuts") List<Integer> cuts, @ForAll boolean declareLength) {
        ChunkedWire w = ChunkedWire.encode(form, CTX, data, framing);
        AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(CTX.auth(form.mode), declareLength ? data.length : -1);
        byte[] out = feed(d, w.bytes(), cuts);
        Trailers t = d.finish();
        assertSamePayload(out, data, "decoded payload");
        assertThat(d.decodedLength()).isEqualTo(data.length);
        if (form.mode.hasTrailer()) {
            assertThat(t.asMap()).hasSize(framing.extraTrailers().size() + (form.checksum ? 1 : 0));
            framing.extraTrailers().forEach(e -> assertThat(t.get(e.getKey())).contains(e.getValue()));
        } else {
            assertThat(t.isEmpty()).isTrue();
        }
        if (form.checksum) {
            assertThat(checksumHolds(t, out)).isTrue();
        }
    }

    @Property(tries = 3000)
    void oneChangedByteIsRefusedOrChangesNothing(@ForAll Form form, @ForAll("smallBodies") byte[] data,
            @ForAll("framings") Framing framing, @ForAll("cuts") List<Integer> cuts,
            @ForAll Target target, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
            @ForAll @IntRange(min = 1, max = 255) int xor) {
        ChunkedWire w = ChunkedWire.encode(form, CTX, data, framing);
        int[] framingOffsets = w.framingOffsets();
        int at = switch (target) {
            case FRAMING -> framingOffsets[where % framingOffsets.length];
            case PAYLOAD -> data.length == 0 ? framingOffsets[where % framingOffsets.length]
                    : w.payloadOffset(where % data.length);
            case ANYWHERE -> where % w.bytes().length;
        };
        byte[] bad = w.bytes().clone();
        bad[at] ^= (byte) xor;
        Optional<byte[]> accepted = decodeAsServer(form, bad, data.length, cuts);
        Statistics.collect(form, w.payloadAt()[at] < 0 ? "framing" : "data", accepted.isEmpty() ? "refused" : "accepted");
        if (accepted.isEmpty()) {
            return;
        }
        byte[] out = accepted.get();
        if (form.payloadProven() || w.payloadAt()[at] < 0) {
            assertSamePayload(out, data, "payload accepted after changing wire byte " + at
                    + (w.payloadAt()[at] < 0 ? " (framing)" : " (data)"));
        } else {
            byte[] expected = data.clone();
            expected[w.payloadAt()[at]] ^= (byte) xor;
            assertSamePayload(out, expected, "payload accepted after changing data byte " + w.payloadAt()[at]);
        }
    }

    /** Compares payloads, reporting lengths and the first difference rather than both arrays. */
    static void assertSamePayload(byte[] actual, byte[] expected, String what) {
        int n = Math.min(actual.length, expected.length);
        int first = Arrays.mismatch(actual, expected);
        assertThat(first).as("%s: %d bytes, expected %d; first difference at %d (%s)", what, actual.length,
                expected.length, first, first >= 0 && first < n ? actual[first] + " instead of " + expected[first]
                        : "length").isEqualTo(-1);
    }

    /** Where the changed byte is drawn from. */
    enum Target { FRAMING, PAYLOAD, ANYWHERE }

    /**
     * Decodes as the node does with {@code x-amz-decoded-content-length} sent: empty when refused, by
     * the decoder or because the announced CRC32 trailer is missing or does not match.
     */
    static Optional<byte[]> decodeAsServer(Form form, byte[] wire, long declared, List<Integer> cuts) {
        AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(CTX.auth(form.mode), declared);
        try {
            byte[] out = feed(d, wire, cuts);
            Trailers t = d.finish();
            if (form.checksum && !checksumHolds(t, out)) {
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (S3Exception e) {
            assertThat(e.code()).isIn(S3ErrorCode.INVALID_REQUEST, S3ErrorCode.INCOMPLETE_BODY,
                    S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
            return Optional.empty();
        }
    }

    static boolean checksumHolds(Trailers t, byte[] payload) {
        Optional<String> v = t.get(ChunkedWire.CHECKSUM_TRAILER);
        if (v.isEmpty()) {
            return false;
        }
        try {
            return Arrays.equals(Base64.getDecoder().decode(v.get()),
                    Base64.getDecoder().decode(ChunkedWire.crc32(payload)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Feeds {@code wire} in the buffers that the cut points (in any order, out-of-range ignored) make. */
    static byte[] feed(AwsChunkedDecoder d, byte[] wire, List<Integer> cuts) {
        List<Integer> points = new ArrayList<>();
        for (int c : cuts) {
            if (c > 0 && c < wire.length) {
                points.add(c);
            }
        }
        points.sort(null);
        points.add(wire.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = 0;
        for (int p : points) {
            ByteBuffer in = ByteBuffer.wrap(wire, prev, p - prev).slice();
            d.feed(in, b -> {
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                out.writeBytes(copy);
            });
            assertThat(in.hasRemaining()).isFalse();
            prev = p;
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<byte[]> largeBodies() {
        return bodies(150_000);
    }

    @Provide
    Arbitrary<byte[]> smallBodies() {
        return bodies(3_000);
    }

    static Arbitrary<byte[]> bodies(int max) {
        return Arbitraries.integers().between(0, max).withDistribution(RandomDistribution.biased())
                .flatMap(n -> Arbitraries.oneOf(
                        Arbitraries.randomValue(r -> {
                            byte[] b = new byte[n];
                            r.nextBytes(b);
                            return b;
                        }),
                        // Payloads that look like framing: line ends, hex digits, separators.
                        Arbitraries.of((byte) '\r', (byte) '\n', (byte) '0', (byte) 'a', (byte) ';', (byte) ':',
                                (byte) ' ').array(byte[].class).ofSize(n)));
    }

    @Provide
    Arbitrary<Framing> framings() {
        Arbitrary<List<Integer>> sizes = Arbitraries.integers().between(1, 70_000)
                .withDistribution(RandomDistribution.biased()).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<Map.Entry<String, String>>> extras = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withChars('-', '0', '9').ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().withCharRange('0', '9').withCharRange('A', 'Z').withCharRange('a', 'z')
                        .withChars('+', '/', '=', '_', '.', '-').ofMaxLength(20))
                .as((n, v) -> Map.entry("x-fuzz-" + n, v))
                .list().ofMaxSize(2).uniqueElements(Map.Entry::getKey);
        return Combinators.combine(sizes, Arbitraries.of(true, false), Arbitraries.integers().between(0, 3), extras,
                Arbitraries.integers().between(0, 2), Arbitraries.of("", " ", "\t", "  \t"),
                Arbitraries.of(true, false))
                .as(Framing::new);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 160_000).list().ofMaxSize(40),
                // Small buffers everywhere: every line, CRLF and signature straddles a boundary.
                Arbitraries.integers().between(1, 7).map(step -> {
                    List<Integer> every = new ArrayList<>();
                    for (int i = step; i < 12_000; i += step) {
                        every.add(i);
                    }
                    return every;
                }));
    }
}
