package io.tessera.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 campaign: a child JVM runs a random workload and is killed with SIGKILL at random
 * moments; after every kill the data directory is reopened and checked (see {@link CrashCampaign}
 * for the single-threaded workload, {@link ConcurrentCrashCampaign} for threads racing a collector).
 * The normal test run does {@value #DEFAULT_KILLS} and {@value #DEFAULT_CONCURRENT_KILLS} kills; a
 * longer campaign is {@code mvn -pl engine test -Dtest=KillNineTest -Dtessera.crash.kills=500
 * -Dtessera.crash.concurrentKills=100}.
 */
class KillNineTest {
    static final int DEFAULT_KILLS = 20;
    static final int DEFAULT_CONCURRENT_KILLS = 5;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void acknowledgedDataSurvivesSigkillAtRandomMoments() throws Exception {
        int kills = Integer.getInteger("tessera.crash.kills", DEFAULT_KILLS);
        long seed = Long.getLong("tessera.crash.seed", System.nanoTime());
        System.out.println("kill -9 campaign: seed=" + seed + " kills=" + kills);
        CrashCampaign campaign = new CrashCampaign(dir, seed);
        for (int round = 1; campaign.kills() < kills; round++) {
            try {
                campaign.round(round);
            } catch (AssertionError e) {
                throw new AssertionError("round " + round + " of campaign with seed " + seed + ": " + e.getMessage(), e);
            }
            assertThat(round).as("rounds without a kill").isLessThan(kills * 3);
        }
        assertThat(campaign.kills()).isGreaterThanOrEqualTo(kills);
        System.out.println("kill -9 campaign: active segments recovered after kills: " + campaign.recoveredSegments());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES) // a long campaign; a stalled child fails within a minute
    void acknowledgedDataSurvivesSigkillWhileThreadsRaceTheCollector() throws Exception {
        int kills = Integer.getInteger("tessera.crash.concurrentKills", DEFAULT_CONCURRENT_KILLS);
        long seed = Long.getLong("tessera.crash.seed", System.nanoTime());
        System.out.println("concurrent kill -9 campaign: seed=" + seed + " kills=" + kills);
        ConcurrentCrashCampaign campaign = new ConcurrentCrashCampaign(dir, seed);
        for (int round = 1; campaign.kills() < kills; round++) {
            try {
                campaign.round(round);
            } catch (AssertionError e) {
                throw new AssertionError("round " + round + " of concurrent campaign with seed " + seed + ": "
                        + e.getMessage(), e);
            }
            assertThat(round).as("rounds without a kill").isLessThan(kills * 3);
        }
        assertThat(campaign.kills()).isGreaterThanOrEqualTo(kills);
        System.out.println("concurrent kill -9 campaign: " + campaign.kills() + " kills, " + campaign.acks()
                + " acknowledged commands");
    }
}
