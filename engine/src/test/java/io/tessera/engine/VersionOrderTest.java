package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Version order is log order, whatever time the writers' commands carry. A command's time is decided
 * before it is logged, on whichever node took the request, so a command applied later may carry an
 * older time (a slower node, a clock that lags). Each case applies one writer of key {@code x} with
 * the clock an hour ahead, then another with the clock an hour behind; afterwards the stamps in the
 * version ids, the order of ListObjectVersions and the current version must all follow the order the
 * commands applied in, and after a delete marker and its removal ("undelete") the version that was
 * current before the marker must be current again.
 *
 * <p>A lifecycle expiry judges a version by its ETag and Last-Modified, so when it applies last, the
 * write before it rewrites the same bytes within the same second: the race a lifecycle sweep can lose.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VersionOrderTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String KEY = "x";
    /** Above the small-body limit: a write lane, a segment of its own. */
    private static final byte[] LARGE = TestEngines.bytes(1, (int) EngineConfig.DEFAULT_SMALL_BODY_LIMIT + 4096);
    /** Within the small-body limit: the shared segment, group commit. */
    private static final byte[] SMALL = TestEngines.bytes(2, 3000);

    /** The writers of a key; each commits one version or delete marker. */
    enum Writer {
        PUT, SMALL_PUT, COPY, COMPLETE, DELETE_MARKER, EXPIRY;

        /** The bytes a single-shot version written by it holds (COPY copies a small source). */
        byte[] body() {
            return this == PUT ? LARGE : SMALL;
        }

        boolean singleShot() {
            return this == PUT || this == SMALL_PUT || this == COPY;
        }
    }

    /** A write that committed: the version id it answered and whether it is a delete marker. */
    record Committed(String versionId, boolean marker, String what) {
        @Override
        public String toString() {
            return what + "@" + versionId;
        }
    }

    /** A clock the test sets: the time the next command is decided with. */
    static final class SetClock extends Clock {
        private volatile Instant now = NOW;

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path dir;
    private Engine e;
    private final SetClock clock = new SetClock();

    @BeforeEach
    void open() {
        e = Engine.open(TestEngines.config(dir).withClock(clock));
        e.createBucket("b", OWNER);
        e.setBucketVersioning("b", VersioningState.ENABLED);
        TestEngines.put(e, "b", "src", SMALL);
    }

    @AfterEach
    void close() {
        e.close();
    }

    /**
     * Every pair of writers; an expiry applies last only after a rewrite of the bytes it judged (after
     * any other write its precondition fails, rightly, and it commits nothing).
     */
    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (Writer last : Writer.values()) {
            for (Writer first : Writer.values()) {
                if (last != Writer.EXPIRY || first.singleShot()) {
                    out.add(Arguments.of(last, first));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} applies first with a later time, then {0} with an earlier one")
    @MethodSource("pairs")
    void theCommandAppliedLastIsTheNewestVersionWhateverTimeItCarries(Writer last, Writer first) throws Exception {
        List<Committed> order = new ArrayList<>();
        order.add(put(KEY, first.singleShot() ? first.body() : LARGE, "base"));
        Callable<Committed> applyLast = prepare(last);
        Callable<Committed> applyFirst = prepare(first);
        // an expiry judged Last-Modified to the second: the rewrite before it keeps that second
        clock.set(last == Writer.EXPIRY ? NOW.plusMillis(500) : NOW.plusSeconds(3600));
        order.add(applyFirst.call());
        clock.set(NOW.minusSeconds(3600));
        order.add(applyLast.call());

        assertVersionOrder(order);
        assertUndeleteRestores(order);
        assertStampsFollow(order);
    }

    /**
     * The interleaving of the original report: a Complete decided first, a PutObject of the key applied
     * before it, then the Complete; after a delete marker and its removal, the key must read as the
     * Complete (applied last), not as the PutObject it overwrote.
     */
    @Test
    void aCompleteAppliedAfterAPutReplacesIt() throws Exception {
        List<Committed> order = new ArrayList<>();
        Callable<Committed> complete = prepare(Writer.COMPLETE);
        clock.set(NOW.plusSeconds(3600));
        order.add(put(KEY, LARGE, "put"));
        clock.set(NOW.minusSeconds(3600));
        order.add(complete.call());
        assertThat(TestEngines.read(e, "b", KEY)).as("the complete committed last").isEqualTo(concat(LARGE, SMALL));

        assertVersionOrder(order);
        assertUndeleteRestores(order);
        assertThat(TestEngines.read(e, "b", KEY)).as("after the undelete").isEqualTo(concat(LARGE, SMALL));
        assertStampsFollow(order);
    }

    /** Makes ready what a writer needs (its upload, the version an expiry judges) and returns its write. */
    private Callable<Committed> prepare(Writer w) {
        switch (w) {
            case PUT, SMALL_PUT:
                return () -> put(KEY, w.body(), w.name());
            case COPY:
                return () -> new Committed(e.copyObject("b", "src", null, "b", KEY,
                        PutOptions.of(ObjectMetadata.EMPTY, OWNER)).object().versionId(), false, "copy");
            case COMPLETE:
                return prepareComplete();
            case DELETE_MARKER:
                return () -> marker(e.deleteObject("b", KEY), "delete");
            case EXPIRY:
                // what a lifecycle sweep does: judge the current version, then delete it if it is still that one
                ObjectInfo judged = e.headObject("b", KEY);
                Precondition stillDue = Precondition.ifMatch(judged.etag()).withLastModified(judged.lastModified());
                return () -> marker(e.deleteObject("b", KEY, stillDue), "expiry");
            default:
                throw new AssertionError(w);
        }
    }

    /** An upload of two parts (LARGE, SMALL) on the key, ready to complete. */
    private Callable<Committed> prepareComplete() {
        String id = e.createUpload("b", KEY, UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
        List<CompletedPart> parts = List.of(
                new CompletedPart(1, TestEngines.part(e, "b", KEY, id, 1, LARGE).etag(), null),
                new CompletedPart(2, TestEngines.part(e, "b", KEY, id, 2, SMALL).etag(), null));
        return () -> new Committed(e.completeUpload("b", KEY, id, parts, CompleteOptions.NONE).versionId(),
                false, "complete");
    }

    private Committed put(String key, byte[] body, String what) {
        return new Committed(TestEngines.put(e, "b", key, body).versionId(), false, what);
    }

    private static Committed marker(DeleteOutcome out, String what) {
        assertThat(out.deleteMarker()).as(what + " added a delete marker").isTrue();
        return new Committed(out.versionId(), true, what);
    }

    /**
     * What a client sees of the key's versions follows {@code order} (oldest first, in commit order): the
     * current version is the last committed (a NoSuchKey naming it when it is a delete marker), and
     * ListObjectVersions lists them newest first with the last committed as latest.
     */
    private void assertVersionOrder(List<Committed> order) {
        Committed last = order.get(order.size() - 1);
        if (last.marker()) {
            assertThatThrownBy(() -> e.headObject("b", KEY))
                    .as("the key reads as the delete marker %s, committed last of %s", last, order)
                    .isInstanceOfSatisfying(EngineException.class, ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_KEY);
                        assertThat(ex.deleteMarker()).as("the marker a NoSuchKey names").isNotNull();
                        assertThat(ex.deleteMarker().versionId()).isEqualTo(last.versionId());
                    });
        } else {
            assertThat(e.headObject("b", KEY).versionId()).as("the current version of %s, committed in the order %s",
                    KEY, order).isEqualTo(last.versionId());
        }
        List<String> expected = new ArrayList<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Committed c = order.get(i);
            expected.add(describe(c, i == order.size() - 1));
        }
        List<String> listed = new ArrayList<>();
        for (ObjectVersion v : e.listObjectVersions("b", new ListVersionsQuery(KEY, null, null, null, 1000))
                .versions()) {
            if (v.key().equals(KEY)) {
                listed.add(describe(order, v));
            }
        }
        assertThat(listed).as("ListObjectVersions of %s, newest first", KEY).containsExactlyElementsOf(expected);
    }

    /** The stamps in the version ids increase in commit order (what orders the versions from now on). */
    private static void assertStampsFollow(List<Committed> order) {
        for (int i = 1; i < order.size(); i++) {
            assertThat(VersionIds.stampOf(order.get(i).versionId()))
                    .as("the stamp of %s, committed after %s", order.get(i), order.get(i - 1))
                    .isGreaterThan(VersionIds.stampOf(order.get(i - 1).versionId()));
        }
    }

    /** A delete marker, then its removal by id: the version current before the marker is current again. */
    private void assertUndeleteRestores(List<Committed> order) {
        List<Committed> withMarker = new ArrayList<>(order);
        withMarker.add(marker(e.deleteObject("b", KEY), "marker"));
        assertVersionOrder(withMarker);
        assertStampsFollow(withMarker.subList(withMarker.size() - 2, withMarker.size()));
        String markerId = withMarker.get(withMarker.size() - 1).versionId();
        assertThat(e.deleteObjectVersion("b", KEY, markerId)).isEqualTo(new DeleteOutcome(markerId, true));
        assertVersionOrder(order);
    }

    private static String describe(Committed c, boolean latest) {
        return c + (latest ? " latest" : "") + (c.marker() ? " marker" : "");
    }

    /** A listed version, named after the write that committed it when it is one of {@code order}. */
    private static String describe(List<Committed> order, ObjectVersion v) {
        String what = order.stream().filter(c -> c.versionId().equals(v.versionId())).map(Committed::what)
                .findFirst().orElse("unknown");
        return describe(new Committed(v.versionId(), v.deleteMarker(), what), v.latest());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
