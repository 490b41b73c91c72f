package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.it.SignedWire.Payload;
import io.tessera.server.it.WireCall.Answered;
import io.tessera.server.it.WireCall.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import io.tessera.server.fuzz.FuzzScale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Signed streaming uploads (PutObject and UploadPart, aws-chunked as the SDK sends them, with and
 * without the CRC32 trailer) through a real node, with one byte of the body changed on the wire: the
 * node refuses them (a 4xx with an S3 error, or a closed connection) and commits nothing. A new key stays
 * absent, an existing key keeps its old bytes, a part keeps its old ETag. A change that leaves the request
 * meaning the same (the case of a hex digit) may be accepted, but then only with the intended bytes.
 */
@Tag(FuzzScale.TAG)
@AddLifecycleHook(FuzzScale.class)
class StreamingUploadTamperProperties {
    static final String BUCKET = "tamper";
    static final byte[] OLD = "the old bytes of this key".getBytes(StandardCharsets.UTF_8);
    static final Duration BOUND = Duration.ofSeconds(20);

    static Path dir;
    static TestNode node;
    static S3Client s3;
    static LeakWatch leaks;
    static String uploadId;
    static String oldPartEtag;
    static final AtomicInteger fresh = new AtomicInteger();

    /** What the changed request writes. */
    enum Target { NEW_OBJECT, EXISTING_OBJECT, NEW_PART, EXISTING_PART }

    @BeforeContainer
    static void start() {
        leaks = LeakWatch.install();
        dir = TempDirs.create("tessera-tamper");
        node = TestNode.start(dir);
        s3 = node.client(false);
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("existing"), RequestBody.fromBytes(OLD));
        uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("upload")).uploadId();
        oldPartEtag = s3.uploadPart(b -> b.bucket(BUCKET).key("upload").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(OLD)).eTag();
    }

    @AfterContainer
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
        TempDirs.delete(dir);
        if (leaks != null) {
            leaks.uninstall();
        }
    }

    @AfterProperty
    void noBufferLeaked() {
        leaks.assertNoLeaks();
    }

    @Property(tries = 80)
    void oneChangedByteCommitsNothing(@ForAll Target target, @ForAll boolean withTrailer,
            @ForAll("sizes") int size, @ForAll long seed, @ForAll boolean inFraming,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where, @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        String key = switch (target) {
            case NEW_OBJECT -> "new-" + fresh.incrementAndGet();
            case EXISTING_OBJECT -> "existing";
            case NEW_PART, EXISTING_PART -> "upload";
        };
        List<Map.Entry<String, String>> query = switch (target) {
            case NEW_OBJECT, EXISTING_OBJECT -> List.of();
            case NEW_PART -> List.of(Map.entry("partNumber", Integer.toString(1 + fresh.incrementAndGet())),
                    Map.entry("uploadId", uploadId));
            case EXISTING_PART -> List.of(Map.entry("partNumber", "1"), Map.entry("uploadId", uploadId));
        };
        SignedWire.Request good = SignedWire.sign(node.port(), "PUT", "/" + BUCKET + "/" + key, query, Map.of(), data,
                withTrailer ? Payload.STREAMING_SIGNED_TRAILER : Payload.STREAMING_SIGNED, Instant.now());
        byte[] body = good.body().clone();
        List<Integer> framing = framingOffsets(body);
        int at = inFraming || size == 0 ? framing.get(where % framing.size()) : payloadOffset(body, framing, where % size);
        body[at] ^= (byte) xor;
        Outcome outcome = WireCall.send(node.port(), good.withBody(body).bytes(), false, false, BOUND);

        boolean accepted = outcome instanceof Answered a && a.status() / 100 == 2;
        Statistics.collect(target, framing.contains(at) ? "framing" : "data", accepted ? "accepted" : "refused");
        if (!accepted) {
            assertRefusal(outcome);
        }
        int partNumber = query.isEmpty() ? 0 : Integer.parseInt(query.get(0).getValue());
        switch (target) {
            case NEW_OBJECT -> assertObject(key, accepted ? data : null);
            case EXISTING_OBJECT -> {
                assertObject(key, accepted ? data : OLD);
                if (accepted) {
                    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(OLD));
                }
            }
            case NEW_PART -> assertPart(partNumber, accepted ? md5Etag(data) : null);
            case EXISTING_PART -> {
                assertPart(1, accepted ? md5Etag(data) : oldPartEtag);
                if (accepted) {
                    oldPartEtag = s3.uploadPart(b -> b.bucket(BUCKET).key("upload").uploadId(uploadId).partNumber(1),
                            RequestBody.fromBytes(OLD)).eTag();
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** A refusal: a 4xx with an S3 XML error, or the connection closed. */
    static void assertRefusal(Outcome outcome) {
        if (outcome instanceof Answered a) {
            assertThat(a.status()).as("status of %s", a).isBetween(400, 499);
            assertThat(a.errorCode()).as("S3 error code of %s", a).isNotNull();
        }
    }

    void assertObject(String key, byte[] expected) {
        if (expected == null) {
            try {
                s3.headObject(b -> b.bucket(BUCKET).key(key));
                throw new AssertionError(key + " exists after a refused upload");
            } catch (NoSuchKeyException e) {
                return;
            }
        }
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(expected);
    }

    void assertPart(int number, String expectedEtag) {
        List<Part> parts = s3.listParts(b -> b.bucket(BUCKET).key("upload").uploadId(uploadId)).parts();
        List<String> etags = new ArrayList<>();
        parts.stream().filter(p -> p.partNumber() == number).forEach(p -> etags.add(p.eTag()));
        assertThat(etags).isEqualTo(expectedEtag == null ? List.of() : List.of(expectedEtag));
    }

    static String md5Etag(byte[] data) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Offsets of the aws-chunked framing bytes in {@code body} (chunk headers, line ends, trailers). */
    static List<Integer> framingOffsets(byte[] body) {
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        while (pos < body.length) {
            int eol = pos;
            while (body[eol] != '\n') {
                eol++;
            }
            String header = new String(body, pos, eol - pos, StandardCharsets.ISO_8859_1);
            int semi = header.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? header : header.substring(0, semi)).trim(), 16);
            for (int i = pos; i <= eol; i++) {
                out.add(i);
            }
            pos = eol + 1;
            if (size == 0) {
                for (int i = pos; i < body.length; i++) {
                    out.add(i);
                }
                return out;
            }
            pos += size;
            out.add(pos);
            out.add(pos + 1);
            pos += 2;
        }
        return out;
    }

    /** The offset of payload byte {@code n}: the n-th offset that is not framing. */
    static int payloadOffset(byte[] body, List<Integer> framing, int n) {
        Set<Integer> f = new HashSet<>(framing);
        int seen = 0;
        for (int i = 0; i < body.length; i++) {
            if (!f.contains(i) && seen++ == n) {
                return i;
            }
        }
        throw new IllegalArgumentException("no payload byte " + n);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        // The SDK cuts 128 KiB chunks: up to three of them.
        return Arbitraries.integers().between(0, 300_000).withDistribution(RandomDistribution.biased());
    }
}
