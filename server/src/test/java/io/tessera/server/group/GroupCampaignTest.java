package io.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault campaign of a three-member group ({@link GroupCampaign}): a slice in the normal test run,
 * and the long campaign, tagged {@code campaign} and so excluded from it, run with
 * {@code mvn -o -pl engine,cluster,server -am test -Dtessera.excludedGroups=none -Dtest=GroupCampaignTest#longCampaign
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtessera.campaign.seconds=600} (also
 * {@code -Dtessera.campaign.clients=N}, {@code -Dtessera.campaign.seed=S}).
 */
class GroupCampaignTest {
    @TempDir
    Path dir;

    /**
     * 75 s of load with two kills, two cuts, a one-way drop, a delay and (usually) a double fault: the load
     * goes on until the first six faults were injected and lifted, however slowly members restart.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void slice() throws Exception {
        long seed = Long.getLong("tessera.campaign.seed", System.nanoTime());
        System.out.println("group campaign slice: seed " + seed);
        GroupCampaign.Outcome outcome = GroupCampaign.run(dir, new GroupCampaign.Settings(Duration.ofSeconds(75), 6,
                6, 6, Duration.ofSeconds(10), seed));
        assertHolds(outcome);
        assertThat(outcome.figures().kills.get()).as("kills").isGreaterThanOrEqualTo(2);
        assertThat(outcome.figures().cuts.get()).as("cuts").isGreaterThanOrEqualTo(2);
    }

    @Test
    @Tag("campaign")
    @Timeout(value = 3, unit = TimeUnit.HOURS)
    void longCampaign() throws Exception {
        long seconds = Long.getLong("tessera.campaign.seconds", 600);
        long seed = Long.getLong("tessera.campaign.seed", System.nanoTime());
        int clients = Integer.getInteger("tessera.campaign.clients", 6);
        System.out.println("group campaign: seed " + seed);
        GroupCampaign.Outcome outcome = GroupCampaign.run(dir, new GroupCampaign.Settings(Duration.ofSeconds(seconds),
                0, clients, 6, Duration.ofSeconds(10), seed));
        assertHolds(outcome);
        assertThat(outcome.figures().doubleFaults.get()).as("double faults").isPositive();
    }

    private static void assertHolds(GroupCampaign.Outcome outcome) {
        CampaignFigures f = outcome.figures();
        assertThat(outcome.lost()).as(outcome.line()).isEmpty();
        assertThat(outcome.check().violations()).as(outcome.check().report()).isEmpty();
        assertThat(f.corruptReads.get()).as("corrupt reads; " + outcome.line()).isZero();
        assertThat(f.abortsNotFinal.get()).as("aborts not final; " + outcome.line()).isZero();
        // the group served while faults came and went, and every kind of fault acted
        assertThat(f.ok.get()).as("acknowledged operations; " + outcome.line()).isGreaterThan(100);
        assertThat(f.completes.get()).as("completes; " + outcome.line()).isPositive();
        assertThat(f.aborts.get()).as("aborts; " + outcome.line()).isPositive();
        assertThat(f.oneWayDrops.get() + f.delays.get()).as("drops and delays; " + outcome.line()).isPositive();
        assertThat(f.acknowledgedChecked.get()).as("keys checked on every member; " + outcome.line()).isPositive();
    }
}
