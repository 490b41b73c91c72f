package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.testkit.TestEngines;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-copy read path verifies blocks through a direct scratch buffer. Direct memory is freed only
 * when the collector finds the buffer, and the JVM answers a full direct-memory budget with a full
 * collection, so a GET of a small object must not allocate a whole verification window: the soak saw
 * a node under GET load run a full collection every two seconds.
 */
class ReadScratchTest {
    private static final int READS = 64;

    @Test
    void smallReadsAllocateDirectMemoryForTheirBytesOnly(@TempDir Path dir) {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            TestEngines.put(e, "b", "small", TestEngines.bytes(1, 4096));
            long before = direct.getTotalCapacity();
            for (int i = 0; i < READS; i++) {
                try (ObjectContent c = e.getObject("b", "small", ReadRange.ALL)) {
                    c.slices().forEachRemaining(s -> assertThat(s.length()).isEqualTo(4096));
                }
            }
            // Buffers the collector may have freed meanwhile only lower the figure.
            long grown = direct.getTotalCapacity() - before;
            assertThat(grown).as("direct bytes allocated by %d reads of 4 KiB", READS).isLessThanOrEqualTo(READS * 8192L);
        }
    }
}
