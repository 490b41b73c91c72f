package io.tessera.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.xml.LifecycleConfiguration;
import io.tessera.server.xml.LifecycleConfiguration.Expiration;
import io.tessera.server.xml.LifecycleConfiguration.Filter;
import io.tessera.server.xml.LifecycleConfiguration.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Validation of lifecycle rules and the deadlines they set. */
class LifecycleRulesTest {
    private static Rule abort(String id, String prefix, int days) {
        return new Rule(id, null, new Filter(prefix), "Enabled", null, days);
    }

    private static Rule expireDays(String id, String prefix, int days) {
        return new Rule(id, null, new Filter(prefix), "Enabled", new Expiration(days, null), null);
    }

    private static LifecycleRules rules(Rule... rules) {
        return LifecycleRules.validate(new LifecycleConfiguration(List.of(rules)));
    }

    private static S3Exception refused(Rule... rules) {
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> rules(rules));
        assertThat(e).isNotNull();
        return e;
    }

    @ParameterizedTest(name = "{0} + {1} days -> {2}")
    @CsvSource({
        "2026-01-15T10:30:00Z, 3, 2026-01-19T00:00:00Z",
        "2026-01-15T00:00:00Z, 1, 2026-01-17T00:00:00Z",
        "2026-01-15T23:59:59.999Z, 1, 2026-01-17T00:00:00Z",
        "2026-02-28T12:00:00Z, 1, 2026-03-02T00:00:00Z",
        "2026-12-31T18:00:00Z, 7, 2027-01-08T00:00:00Z",
    })
    void daysAreRoundedUpToTheNextMidnightUtc(String from, int days, String expected) {
        assertThat(LifecycleRule.afterDays(Instant.parse(from), days)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void theEarliestDeadlineOfTheEnabledRulesThatCoverTheKeyWins() {
        Instant t = Instant.parse("2026-03-10T08:00:00Z");
        LifecycleRules r = rules(abort("slow", "", 30), abort("fast", "tmp/", 2),
                new Rule("off", "tmp/", null, "Disabled", null, 1),
                expireDays("logs", "logs/", 10),
                new Rule("dated", null, new Filter("logs/old/"), "Enabled",
                        new Expiration(null, Instant.parse("2026-03-12T00:00:00Z")), null));
        assertThat(r.abortDeadline("tmp/x", t)).isEqualTo(new Deadline(Instant.parse("2026-03-13T00:00:00Z"), "fast"));
        assertThat(r.abortDeadline("other", t)).isEqualTo(new Deadline(Instant.parse("2026-04-10T00:00:00Z"), "slow"));
        assertThat(r.expiryDeadline("tmp/x", t)).isNull();
        assertThat(r.expiryDeadline("logs/a", t)).isEqualTo(new Deadline(Instant.parse("2026-03-21T00:00:00Z"), "logs"));
        assertThat(r.expiryDeadline("logs/old/a", t))
                .isEqualTo(new Deadline(Instant.parse("2026-03-12T00:00:00Z"), "dated"));
        assertThat(r.expiryDeadline("logs/old/a", t).isDue(Instant.parse("2026-03-11T23:59:59.999Z"))).isFalse();
        assertThat(r.expiryDeadline("logs/old/a", t).isDue(Instant.parse("2026-03-12T00:00:00Z"))).isTrue();
    }

    @Test
    void legacyPrefixAndEmptyFilterScopeRules() {
        LifecycleRules r = rules(new Rule("legacy", "a/", null, "Enabled", null, 1),
                new Rule("all", null, new Filter(null), "Enabled", new Expiration(5, null), null));
        Instant t = Instant.parse("2026-03-10T08:00:00Z");
        assertThat(r.abortDeadline("a/b", t).ruleId()).isEqualTo("legacy");
        assertThat(r.abortDeadline("b", t)).isNull();
        assertThat(r.expiryDeadline("anything", t).ruleId()).isEqualTo("all");
    }

    @Test
    void scanPrefixesCoverEveryEnabledRuleOnce() {
        LifecycleRules r = rules(abort("1", "logs/", 1), abort("2", "logs/2026/", 1), abort("3", "tmp/", 1),
                abort("4", "log", 1), new Rule("5", null, new Filter("zzz/"), "Disabled", null, 1),
                expireDays("6", "x/", 1));
        assertThat(r.scanPrefixes(LifecycleRule::abortsUploads)).containsExactly("log", "tmp/");
        assertThat(r.scanPrefixes(LifecycleRule::expiresObjects)).containsExactly("x/");
        assertThat(rules(abort("a", "p/", 1), abort("b", "", 1)).scanPrefixes(LifecycleRule::abortsUploads))
                .containsExactly("");
        assertThat(rules(abort("a", "p/", 1)).scanPrefixes(LifecycleRule::expiresObjects)).isEmpty();
    }

    @Test
    void rulesWithoutIdGetUniqueOnesAndKeepTheirForm() {
        Iterator<String> ids = List.of("taken", "taken", "fresh-1", "fresh-2").iterator();
        LifecycleRules r = LifecycleRules.validate(new LifecycleConfiguration(List.of(
                new Rule(null, "a/", null, "Enabled", null, 1),
                new Rule("taken", null, new Filter("b/"), "Disabled", null, 2),
                new Rule(null, null, new Filter(null), "Enabled", new Expiration(3, null), null))), ids::next);
        assertThat(r.document().rules()).extracting(Rule::id).containsExactly("fresh-1", "taken", "fresh-2");
        assertThat(r.document().rules().get(0).prefix()).isEqualTo("a/");
        assertThat(r.document().rules().get(2).filter()).isEqualTo(new Filter(null));
        assertThat(LifecycleRules.fromStored(r.toBytes()).document()).isEqualTo(r.document());
    }

    @Test
    void generatedIdsLookLikeS3s() {
        LifecycleRules r = rules(abort(null, "", 1), abort(null, "", 2));
        List<String> ids = r.rules().stream().map(LifecycleRule::id).collect(Collectors.toList());
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).hasSize(48).matches("[A-Za-z0-9+/]+"));
    }

    @Test
    void valuesAreCheckedAsS3ChecksThem() {
        assertArgument(refused(expireDays("a", "", 0)), "Days", "'Days' for Expiration action must be a positive integer");
        assertArgument(refused(expireDays("a", "", -3)), "Days", "'Days' for Expiration action must be a positive integer");
        assertArgument(refused(abort("a", "", 0)), "DaysAfterInitiation",
                "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
        assertArgument(refused(new Rule("a", null, new Filter(""), "Enabled",
                new Expiration(null, Instant.parse("2099-11-10T12:00:00Z")), null)), "Date",
                "'Date' must be at midnight GMT");
        assertArgument(refused(abort("x".repeat(256), "", 1)), "ID", "ID length should not exceed allowed limit of 255.");
        assertArgument(refused(abort("same", "a/", 1), expireDays("same", "b/", 2)), "ID",
                "Rule ID must be unique. Found same ID for more than one rule.");
        S3Exception noAction = refused(new Rule("a", null, new Filter(""), "Enabled", null, null));
        assertThat(noAction.code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(noAction.getMessage()).isEqualTo("At least one action needs to be specified in a rule.");
    }

    @Test
    void atMostAThousandRules() {
        List<Rule> many = new ArrayList<>();
        IntStream.range(0, 1000).forEach(i -> many.add(abort("r" + i, "p" + i + "/", 1)));
        assertThat(LifecycleRules.validate(new LifecycleConfiguration(many)).rules()).hasSize(1000);
        many.add(abort("r1000", "", 1));
        S3Exception e = catchThrowableOfType(S3Exception.class,
                () -> LifecycleRules.validate(new LifecycleConfiguration(many)));
        assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("1000");
    }

    @Test
    void theLongestIdIsAccepted() {
        assertThat(rules(abort("x".repeat(255), "", 1)).rules().get(0).id()).hasSize(255);
    }

    private static void assertArgument(S3Exception e, String name, String message) {
        assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.details()).containsEntry("ArgumentName", name);
    }
}
