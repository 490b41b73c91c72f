package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@link LeakWatch} sees a buffer that was dropped without being released. */
class LeakWatchTest {
    @Test
    void reportsAnUnreleasedBuffer() {
        LeakWatch watch = LeakWatch.install();
        Logger detector = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        boolean additive = detector.isAdditive();
        detector.setAdditive(false); // this deliberate leak goes to the watch only, not into the test log
        try {
            watch.assertNoLeaks();
            leakOneBuffer();
            assertThatThrownBy(watch::assertNoLeaks).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("LEAK").hasMessageContaining("deliberately dropped by LeakWatchTest");
        } finally {
            detector.setAdditive(additive);
            watch.uninstall();
        }
        assertThat(detector.isAdditive()).isEqualTo(additive);
    }

    private static void leakOneBuffer() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        b.touch("deliberately dropped by LeakWatchTest");
        b.writeLong(42);
    }
}
