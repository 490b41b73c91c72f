package io.tessera.server.lifecycle;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.Engine;
import io.tessera.engine.ListObjectsQuery;
import io.tessera.engine.ListUploadsQuery;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.UploadInfo;
import io.tessera.engine.UploadOptions;
import io.tessera.engine.testkit.TestEngines;
import io.tessera.server.it.MovableClock;
import io.tessera.server.xml.LifecycleConfiguration;
import io.tessera.server.xml.LifecycleConfiguration.Expiration;
import io.tessera.server.xml.LifecycleConfiguration.Filter;
import io.tessera.server.xml.LifecycleConfiguration.Rule;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps of a real engine at chosen instants, with listing pages of two so that paging is exercised: due
 * uploads are aborted and due objects deleted, at the midnight S3's rounding sets and not a millisecond before,
 * and nothing outside the enabled rules is touched.
 */
class LifecycleSweeperTest {
    private static final Instant T0 = Instant.parse("2026-03-10T08:00:00Z");

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();

    private static final LifecycleRules RULES = LifecycleRules.validate(new LifecycleConfiguration(List.of(
            new Rule("expire-tmp", null, new Filter("tmp/"), "Enabled", new Expiration(1, null), null),
            new Rule("abort-tmp", "tmp/", null, "Enabled", null, 2),
            new Rule("abort-tmp-deep", null, new Filter("tmp/deep/"), "Enabled", null, 5),
            new Rule("off", null, new Filter("keep/"), "Disabled", new Expiration(1, null), 1),
            new Rule("dated", null, new Filter("dated/"), "Enabled",
                    new Expiration(null, Instant.parse("2026-04-01T00:00:00Z")), null))));

    @Test
    void dueActionsHappenAtTheirMidnightAndNotBefore() {
        clock.set(T0);
        try (Engine e = Engine.open(TestEngines.config(dir).withClock(clock))) {
            e.createBucket("b", OWNER);
            for (String k : List.of("tmp/1", "tmp/2", "tmp/3", "tmp/deep/4", "tmp/5", "keep/1", "keep/2",
                    "dated/1", "other")) {
                TestEngines.put(e, "b", k, TestEngines.bytes(k.hashCode(), 10));
            }
            for (String k : List.of("tmp/u1", "tmp/u2", "tmp/deep/u3", "keep/u4", "other-u5")) {
                e.createUpload("b", k, UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
            }
            LifecycleSweeper sweeper = new LifecycleSweeper(e, 2);

            assertThat(sweeper.sweep("b", RULES, Instant.parse("2026-03-11T23:59:59.999Z"), () -> false))
                    .isEqualTo(new SweepReport(1, 0, 0));
            assertThat(keys(e)).hasSize(9);

            // 08:00 plus one day, rounded up: every tmp/ object; no upload yet (two days)
            assertThat(sweeper.sweep("b", RULES, Instant.parse("2026-03-12T00:00:00Z"), () -> false))
                    .isEqualTo(new SweepReport(1, 0, 5));
            assertThat(keys(e)).containsExactly("dated/1", "keep/1", "keep/2", "other");

            // the shorter of two covering rules wins: tmp/deep/u3 goes with abort-tmp
            assertThat(sweeper.sweep("b", RULES, Instant.parse("2026-03-13T00:00:00Z"), () -> false))
                    .isEqualTo(new SweepReport(1, 3, 0));
            assertThat(uploads(e)).containsExactly("keep/u4", "other-u5");

            assertThat(sweeper.sweep("b", RULES, Instant.parse("2026-03-31T23:59:59Z"), () -> false))
                    .isEqualTo(new SweepReport(1, 0, 0));
            assertThat(sweeper.sweep("b", RULES, Instant.parse("2026-04-01T00:00:00Z"), () -> false))
                    .isEqualTo(new SweepReport(1, 0, 1));
            assertThat(keys(e)).containsExactly("keep/1", "keep/2", "other");
            assertThat(uploads(e)).containsExactly("keep/u4", "other-u5");
        }
    }

    @Test
    void anObjectWrittenAgainIsJudgedByItsNewDate() {
        clock.set(T0);
        try (Engine e = Engine.open(TestEngines.config(dir).withClock(clock))) {
            e.createBucket("b", OWNER);
            TestEngines.put(e, "b", "tmp/a", new byte[] {1});
            TestEngines.put(e, "b", "tmp/b", new byte[] {1});
            clock.set(Instant.parse("2026-03-11T12:00:00Z"));
            ObjectInfo rewritten = TestEngines.put(e, "b", "tmp/b", new byte[] {2});
            assertThat(new LifecycleSweeper(e, 1000).sweep("b", RULES, Instant.parse("2026-03-12T00:00:00Z"),
                    () -> false)).isEqualTo(new SweepReport(1, 0, 1));
            assertThat(e.headObject("b", "tmp/b").etag()).isEqualTo(rewritten.etag());
        }
    }

    @Test
    void aStoppedSweepDoesNothing() {
        clock.set(T0);
        try (Engine e = Engine.open(TestEngines.config(dir).withClock(clock))) {
            e.createBucket("b", OWNER);
            TestEngines.put(e, "b", "tmp/a", new byte[] {1});
            UploadInfo u = e.createUpload("b", "tmp/u", UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
            assertThat(new LifecycleSweeper(e, 2).sweep("b", RULES, Instant.parse("2027-01-01T00:00:00Z"),
                    () -> true)).isNull();
            assertThat(keys(e)).containsExactly("tmp/a");
            assertThat(uploads(e)).containsExactly(u.key());
        }
    }

    private static List<String> keys(Engine e) {
        return e.listObjects("b", ListObjectsQuery.all()).objects().stream().map(ObjectInfo::key)
                .collect(Collectors.toList());
    }

    private static List<String> uploads(Engine e) {
        return e.listUploads("b", ListUploadsQuery.all()).uploads().stream().map(UploadInfo::key)
                .collect(Collectors.toList());
    }
}
