package io.tessera.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows the node's life: not while the engine opens, then while the disk takes writes, not once closing. */
class HealthTest {
    @TempDir
    Path dir;

    @Test
    void readyOnlyBetweenTheEngineOpeningAndTheShutdown() {
        Health h = new Health(dir);
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(false, "the engine is opening (recovery is running)"));
        assertThat(dir.resolve(Health.PROBE)).as("no probe before the engine opened").doesNotExist();
        h.engineOpened();
        assertThat(h.readiness().ready()).isTrue();
        assertThat(dir.resolve(Health.PROBE)).hasContent("ok");
        h.closing();
        assertThat(h.readiness()).isEqualTo(new Health.Readiness(false, "the node is shutting down"));
    }

    @Test
    void aDataDirectoryThatRefusesWritesIsNotReady() {
        Path gone = dir.resolve("gone");
        Health h = new Health(gone); // the directory does not exist: the probe cannot be written
        h.engineOpened();
        Health.Readiness r = h.readiness();
        assertThat(r.ready()).isFalse();
        assertThat(r.reason()).startsWith("the data directory does not accept writes: ");
    }
}
