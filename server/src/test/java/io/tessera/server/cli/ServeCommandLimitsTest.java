package io.tessera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.EngineConfig;
import io.tessera.server.netty.NettyLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The limits options of {@code tessera serve}: flags win over the config file, which wins over the defaults. */
class ServeCommandLimitsTest {
    @Test
    void flagsOverrideTheConfigFileWhichOverridesTheDefaults() {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs("--max-connections", "7", "--body-timeout", "9", "--max-body-memory", "3");
        Properties file = new Properties();
        file.setProperty("max-connections", "100");
        file.setProperty("max-bodies", "5");
        file.setProperty("shutdown-timeout", "4");
        file.setProperty("max-client-share", "40");
        NettyLimits d = NettyLimits.defaults();
        NettyLimits l = cmd.limits(d, file);
        assertThat(l.maxConnections()).isEqualTo(7);
        assertThat(l.bodyTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(l.maxBodyMemory()).isEqualTo(3L << 20);
        assertThat(l.maxBodies()).isEqualTo(5);
        assertThat(l.shutdownTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(l.maxClientShare()).isEqualTo(40);
        assertThat(l.headerTimeout()).isEqualTo(d.headerTimeout());
        assertThat(l.bodyMinRate()).isEqualTo(d.bodyMinRate());
        assertThat(l.maxBodyWaiters()).isEqualTo(d.maxBodyWaiters());
        assertThat(l.bodyAdmissionWait()).isEqualTo(d.bodyAdmissionWait());
        assertThat(l.retryAfterSeconds()).isEqualTo(d.retryAfterSeconds());
        assertThat(l.idleSeconds()).isEqualTo(d.idleSeconds());
        assertThat(l.readWindowHigh()).isEqualTo(d.readWindowHigh());
    }

    @Test
    void withNothingSetTheLimitsAreTheDefaults() {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs();
        assertThat(cmd.limits(NettyLimits.defaults(), new Properties())).isEqualTo(NettyLimits.defaults());
    }

    @Test
    void theSpaceLeftFreeForMetadataComesFromTheFlagElseTheConfigFileElseTheDiskSize() {
        Properties file = new Properties();
        file.setProperty("min-free-space", "32");
        EngineConfig d = EngineConfig.defaults(Path.of("data"));
        ServeCommand flag = new ServeCommand();
        new CommandLine(flag).parseArgs("--min-free-space", "0");
        assertThat(flag.engine(d, file).minFreeSpace()).isZero();
        ServeCommand none = new ServeCommand();
        new CommandLine(none).parseArgs();
        assertThat(none.engine(d, file).minFreeSpace()).isEqualTo(32L << 20);
        assertThat(none.engine(d, new Properties())).isEqualTo(d);
        assertThat(d.minFreeSpace()).isEqualTo(EngineConfig.AUTO_MIN_FREE_SPACE);
    }

    @Test
    void theSmallBodyLimitComesFromTheFlagElseTheConfigFileElseTheDefault() {
        Properties file = new Properties();
        file.setProperty("small-body-limit", "256");
        EngineConfig d = EngineConfig.defaults(Path.of("data"));
        ServeCommand flag = new ServeCommand();
        new CommandLine(flag).parseArgs("--small-body-limit", "0");
        assertThat(flag.engine(d, file).smallBodyLimit()).isZero();
        ServeCommand none = new ServeCommand();
        new CommandLine(none).parseArgs();
        assertThat(none.engine(d, file).smallBodyLimit()).isEqualTo(256L << 10);
        assertThat(none.engine(d, new Properties()).smallBodyLimit()).isEqualTo(EngineConfig.DEFAULT_SMALL_BODY_LIMIT);
        String usage = new CommandLine(new ServeCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
        assertThat(usage).contains("--small-body-limit=KIB").contains("(default: 64, at most 16384)");
    }

    @Test
    void theMinimumPartSizeIsS3sUnlessTheBenchmarkKnobLowersIt() {
        EngineConfig d = EngineConfig.defaults(Path.of("data"));
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs();
        assertThat(cmd.engine(d, new Properties()).minPartSize()).isEqualTo(5L << 20);
        String before = System.getProperty(ServeCommand.MIN_PART_SIZE_PROPERTY);
        System.setProperty(ServeCommand.MIN_PART_SIZE_PROPERTY, "1");
        try {
            assertThat(cmd.engine(d, new Properties()).minPartSize()).isEqualTo(1);
        } finally {
            if (before == null) {
                System.clearProperty(ServeCommand.MIN_PART_SIZE_PROPERTY);
            } else {
                System.setProperty(ServeCommand.MIN_PART_SIZE_PROPERTY, before);
            }
        }
        String usage = new CommandLine(new ServeCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage).doesNotContain("minPartSize").doesNotContain("min-part-size");
    }

    @Test
    void helpPrintsTheDefaults() {
        String usage = new CommandLine(new ServeCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
        NettyLimits d = NettyLimits.defaults();
        assertThat(usage)
                .contains("--max-connections=N open client connections; more are closed as soon as accepted"
                        + " (default: " + d.maxConnections() + ")")
                .contains("(default: " + d.headerTimeout().toSeconds() + ")")
                .contains("--max-bodies=N request bodies read at once, small ones not counted"
                        + " (default: " + d.maxBodies() + ")")
                .contains("--max-client-share=PERCENT")
                .contains("(default: " + d.maxClientShare() + ")")
                .contains("(default: " + (d.maxBodyMemory() >> 20) + ")")
                .contains("(default: " + d.maxBodyWaiters() + ")")
                .contains("(default: " + d.shutdownTimeout().toSeconds() + ")");
    }
}
