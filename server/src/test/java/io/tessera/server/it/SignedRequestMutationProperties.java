package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.it.ValidRequests.Built;
import io.tessera.server.it.ValidRequests.Fixture;
import io.tessera.server.it.ValidRequests.Kind;
import io.tessera.server.it.WireCall.Answered;
import io.tessera.server.it.WireCall.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.tessera.server.fuzz.FuzzScale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Random changes to valid, SDK-signed requests sent to a real node ({@link WireMutation} on the
 * requests of {@link ValidRequests}). Whatever the change (method, path, query, headers, signature, body,
 * Content-Length, transfer coding), the node answers with a 4xx carrying an S3 XML error or closes the
 * connection; never a 5xx, never silence (every read is bounded), never a leaked buffer; and nothing it
 * stores changes. The one change that can leave a request meaning the same, a changed byte in an
 * aws-chunked upload (the case of a hex digit), may succeed, but then must have stored exactly what the
 * unchanged request would have.
 */
@Tag(FuzzScale.TAG)
@AddLifecycleHook(FuzzScale.class)
class SignedRequestMutationProperties {
    static final Duration BOUND = Duration.ofSeconds(20);

    static Path dir;
    static TestNode node;
    static S3Client s3;
    static LeakWatch leaks;
    static Fixture fuzzed;
    static List<String> stored;

    @BeforeContainer
    static void start() {
        leaks = LeakWatch.install();
        dir = TempDirs.create("tessera-mutation");
        node = TestNode.start(dir);
        s3 = node.client(false);
        fuzzed = Fixture.create(s3, "fuzz");
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

    /**
     * Sent unchanged (to a node of its own), every request kind succeeds, and the writing ones change
     * what is stored: the changed requests below start from valid ones.
     */
    @Example
    void unchangedRequestsSucceed() {
        Path controlDir = TempDirs.create("tessera-mutation-control");
        try (TestNode control = TestNode.start(controlDir); S3Client c = control.client(false)) {
            Random random = new Random(7);
            for (Kind kind : Kind.values()) {
                Fixture f = Fixture.create(c, "control-" + kind.ordinal());
                List<String> before = StoredState.snapshot(c);
                Built b = ValidRequests.build(kind, f, control.port(), random, Instant.now());
                Outcome o = WireCall.send(control.port(), b.request().bytes(), false,
                        "HEAD".equals(b.request().method()), BOUND);
                assertThat(o).as("%s unchanged", kind).isInstanceOfSatisfying(Answered.class,
                        a -> assertThat(a.status()).as("%s: %s", kind, a).isBetween(200, 299));
                boolean readsOnly = kind == Kind.GET_OBJECT || kind == Kind.HEAD_OBJECT || kind == Kind.LIST_OBJECTS;
                assertThat(StoredState.snapshot(c).equals(before)).as("%s left the store as it was", kind)
                        .isEqualTo(readsOnly);
            }
        } finally {
            TempDirs.delete(controlDir);
        }
    }

    @Property(tries = 300)
    void changedRequestsAreRefusedAndChangeNothing(@ForAll Kind kind, @ForAll WireMutation mutation,
            @ForAll long seed) {
        if (stored == null) {
            stored = StoredState.snapshot(s3);
        }
        Random random = new Random(seed);
        Built valid = ValidRequests.build(kind, fuzzed, node.port(), random, Instant.now());
        WireMutation m = mutation;
        while (!m.appliesTo(valid.request())) {
            m = WireMutation.values()[random.nextInt(WireMutation.values().length)];
        }
        WireMutation.Mutated changed = m.apply(valid.request(), random);
        // Half of the time a valid GET follows on the same connection: whatever the changed request left
        // behind (an unread body, broken framing), that GET is answered correctly or the connection closes.
        // Not behind a HEAD: when its request line cannot be parsed, the node's 400 rightly carries a body.
        boolean followUp = !changed.halfClose() && !"HEAD".equals(changed.request().method()) && random.nextBoolean();
        byte[] wire = changed.request().bytes();
        if (followUp) {
            byte[] get = SignedWire.sign(node.port(), "GET", "/" + fuzzed.bucket() + "/" + fuzzed.objectKey(),
                    List.of(), Map.of(), null, SignedWire.Payload.SHA256, Instant.now()).bytes();
            wire = Arrays.copyOf(wire, wire.length + get.length);
            System.arraycopy(get, 0, wire, wire.length - get.length, get.length);
        }
        List<Outcome> outcomes = WireCall.exchange(node.port(), wire, changed.halfClose(),
                followUp ? List.of("HEAD".equals(changed.request().method()), false)
                        : List.of("HEAD".equals(changed.request().method())), BOUND);
        Outcome outcome = outcomes.get(0);
        String what = kind + " with " + m + ": " + describe(changed.request());
        if (followUp) {
            Statistics.label("pipelined GET").collect(outcomes.size() < 2 || outcomes.get(1) instanceof WireCall.Closed
                    ? "connection closed" : Integer.toString(((Answered) outcomes.get(1)).status()));
        }
        if (outcomes.size() > 1 && outcomes.get(1) instanceof Answered next) {
            if (next.status() / 100 == 2) {
                assertThat(next.text()).as("the GET after %s", what).isEqualTo(Fixture.OBJECT_BYTES);
            } else {
                assertThat(next.status()).as("the answer after %s: %s", what, next).isBetween(400, 499);
            }
        }

        boolean succeeded = outcome instanceof Answered a && a.status() < 400;
        Statistics.label("outcome").collect(m, outcome instanceof Answered a ? Integer.toString(a.status()) : "closed");
        List<String> now = StoredState.snapshot(s3);
        if (succeeded && m == WireMutation.BODY_BYTE && kind.streamsUpload()) {
            assertStoredAsValid(valid, now, what);
            stored = now;
            return;
        }
        if (outcome instanceof Answered a) {
            assertThat(a.status()).as("status for %s: %s", what, a).isBetween(400, 499);
            if (!"HEAD".equals(changed.request().method())) {
                assertThat(a.errorCode()).as("S3 error for %s: %s", what, a).isNotNull();
            }
        }
        assertThat(now).as("stored state after %s (%s)", what, outcome).isEqualTo(stored);
    }

    /** A changed upload that succeeded must have stored what the valid one would have, and nothing else. */
    static void assertStoredAsValid(Built valid, List<String> now, String what) {
        String etag = "\"" + HexFormat.of().formatHex(ValidRequests.md5(valid.payload())) + "\"";
        String prefix = valid.partNumber() > 0
                ? StoredState.partLine(fuzzed.bucket(), valid.key(), fuzzed.uploadId(), valid.partNumber()) + " "
                : StoredState.objectPrefix(fuzzed.bucket(), valid.key());
        List<String> written = new ArrayList<>(now);
        written.removeIf(l -> !l.startsWith(prefix));
        assertThat(written).as("what %s wrote", what).hasSize(1);
        assertThat(written.get(0)).as("what %s wrote", what).startsWith(prefix + etag + " " + valid.payload().length);
        List<String> rest = new ArrayList<>(now);
        rest.removeAll(written);
        assertThat(rest).as("everything else after %s", what).isEqualTo(stored);
    }

    private static String describe(SignedWire.Request r) {
        StringBuilder sb = new StringBuilder(r.method()).append(' ').append(r.target());
        r.headers().forEach(h -> sb.append(" | ").append(h.getKey()).append(": ").append(h.getValue()));
        return sb.append(" | body ").append(r.body().length).append(" bytes").toString();
    }
}
