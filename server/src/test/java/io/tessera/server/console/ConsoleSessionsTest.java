package io.tessera.server.console;

import io.tessera.engine.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sessions end when idle, when old, on sign-out and when crowded out; tokens are random and unguessable. */
class ConsoleSessionsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T08:00:00Z"));
    private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 3);

    @Test
    void aSessionIsFoundByItsTokenOnlyAndEndsOnSignOut() {
        ConsoleSessions.Started s = sessions.start("AKID");
        assertThat(sessions.find(s.token())).isNotNull().extracting(ConsoleSessions.Session::accessKeyId)
                .isEqualTo("AKID");
        assertThat(sessions.find(s.token() + "x")).isNull();
        assertThat(sessions.find("")).isNull();
        assertThat(sessions.find(null)).isNull();
        sessions.end(s.token());
        assertThat(sessions.find(s.token())).isNull();
    }

    @Test
    void tokensAndCsrfTokensAreLongRandomAndDistinct() {
        ConsoleSessions many = new ConsoleSessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 1000);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ConsoleSessions.Started s = many.start("AKID");
            assertThat(s.token()).hasSize(43).matches("[A-Za-z0-9_-]+"); // 256 bits, URL-safe base64
            assertThat(s.session().csrf()).hasSize(24).isNotEqualTo(s.token());
            assertThat(seen.add(s.token())).isTrue();
            assertThat(seen.add(s.session().csrf())).isTrue();
        }
    }

    @Test
    void useKeepsASessionAliveUntilItsMaximumAge() {
        ConsoleSessions.Started s = sessions.start("AKID");
        for (int i = 0; i < 23; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(s.token())).as("after %d polls", i + 1).isNotNull();
        }
        clock.advance(Duration.ofMinutes(29)); // 11 h 36 min after sign-in, then 12 h 5 min
        assertThat(sessions.find(s.token())).isNotNull();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.token())).isNull();
    }

    @Test
    void anIdleSessionEnds() {
        ConsoleSessions.Started s = sessions.start("AKID");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.token())).isNotNull();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(s.token())).isNull();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void pastCapacityTheLeastRecentlyUsedSessionEnds() {
        ConsoleSessions.Started a = sessions.start("A");
        ConsoleSessions.Started b = sessions.start("B");
        ConsoleSessions.Started c = sessions.start("C");
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.find(a.token())).isNotNull(); // a was used last: b is now the least recently used
        ConsoleSessions.Started d = sessions.start("D");
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.find(b.token())).isNull();
        assertThat(sessions.find(a.token())).isNotNull();
        assertThat(sessions.find(c.token())).isNotNull();
        assertThat(sessions.find(d.token())).isNotNull();
    }

    @Test
    void secretsCompareWholly() {
        assertThat(ConsoleSessions.sameSecret("abc", "abc")).isTrue();
        assertThat(ConsoleSessions.sameSecret("abc", "abd")).isFalse();
        assertThat(ConsoleSessions.sameSecret("abc", "abcd")).isFalse();
        assertThat(ConsoleSessions.sameSecret(null, "abc")).isFalse();
    }
}
