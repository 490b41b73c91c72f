package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.testkit.DiskUsage;
import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk a node takes before it stores anything: what a small volume can spare. RocksDB sized as
 * for a database server preallocated ~70 MiB of WAL and 4 MiB of MANIFEST on an empty node.
 */
class FootprintTest {
    /** The README states this bound; keep them in step. */
    private static final long MAX_EMPTY_NODE_BYTES = 2L << 20;

    @TempDir
    Path dir;

    @Test
    void anOpenNodeWithABucketAndASmallObjectTakesUnderTwoMegabytes() {
        try (Engine e = Engine.open(EngineConfig.defaults(dir))) {
            e.createBucket("b", OWNER);
            TestEngines.put(e, "b", "k", TestEngines.bytes(1, 1000));
            long used = DiskUsage.allocatedBytes(dir);
            assertThat(used).as("allocated bytes of %s while open", dir).isLessThan(MAX_EMPTY_NODE_BYTES);
        }
        assertThat(DiskUsage.allocatedBytes(dir)).as("after close").isLessThan(MAX_EMPTY_NODE_BYTES);
    }
}
