package io.tessera.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The node's logback.xml (read here into a context of its own: tests log through the engine's
 * logback-test.xml) parses, and sends the access log to its own appender: standard output through a
 * queue that never blocks, not the node's log on standard error.
 */
class AccessLogConfigTest {
    @Test
    void theAccessLoggerHasItsOwnNonBlockingAppender() throws Exception {
        URL config = AccessLog.class.getClassLoader().getResource("logback.xml");
        assertThat(config).isNotNull();
        LoggerContext ctx = new LoggerContext();
        try {
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(ctx);
            joran.doConfigure(config);
            assertThat(ctx.getStatusManager().getCopyOfStatusList()).as("logback.xml configures without errors")
                    .noneMatch(s -> s.getLevel() == Status.ERROR);
            Logger access = ctx.getLogger(AccessLog.LOGGER);
            assertThat(access.isAdditive()).as("access lines stay out of the node's log").isFalse();
            assertThat(access.getAppender("ACCESS")).isInstanceOfSatisfying(AsyncAppender.class, a -> {
                assertThat(a.isNeverBlock()).isTrue();
                assertThat(a.getAppender("ACCESS_STDOUT")).isInstanceOfSatisfying(ConsoleAppender.class,
                        c -> assertThat(c.getTarget()).isEqualTo("System.out"));
            });
        } finally {
            ctx.stop();
        }
    }
}
