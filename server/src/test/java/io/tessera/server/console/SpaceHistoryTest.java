package io.tessera.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring keeps the last samples in order and answers only those after the one a reader has. */
class SpaceHistoryTest {
    private static SpaceSample sample(long seq) {
        return new SpaceSample(seq, 1_000 * seq, seq, seq * 10, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static List<Long> seqs(List<SpaceSample> samples) {
        return samples.stream().map(SpaceSample::seq).toList();
    }

    @Test
    void keepsTheLastSamplesOldestFirst() {
        try (SpaceHistory h = new SpaceHistory(4, Duration.ofSeconds(1))) {
            assertThat(h.after(0)).isEmpty();
            for (long i = 1; i <= 3; i++) {
                h.add(sample(i));
            }
            assertThat(seqs(h.after(0))).containsExactly(1L, 2L, 3L);
            for (long i = 4; i <= 10; i++) {
                h.add(sample(i));
            }
            assertThat(seqs(h.after(0))).containsExactly(7L, 8L, 9L, 10L);
            assertThat(seqs(h.after(-5))).containsExactly(7L, 8L, 9L, 10L);
            assertThat(seqs(h.after(8))).containsExactly(9L, 10L);
            assertThat(seqs(h.after(3))).containsExactly(7L, 8L, 9L, 10L); // 4 to 6 are gone
            assertThat(h.after(10)).isEmpty();
            assertThat(h.after(99)).isEmpty();
            assertThat(h.after(9).get(0).objectBytes()).isEqualTo(100);
        }
    }

    @Test
    void samplesAreNumberedWithoutGaps() {
        try (SpaceHistory h = new SpaceHistory(4, Duration.ofSeconds(1))) {
            h.add(sample(1));
            assertThatThrownBy(() -> h.add(sample(3))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> h.add(sample(1))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
