package io.tessera.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void theShortFormsAndIso() {
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("2W")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parse("PT36H")).isEqualTo(Duration.ofHours(36));
        assertThat(Durations.parse(Duration.ofDays(7).toString())).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void anythingElseIsRefusedWithTheFormsThatWork() {
        for (String bad : new String[] {"", "7", "d", "7 d", "7days", "-1d", "1.5h", "PT-1H", "9999999999999d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("7d");
        }
    }
}
