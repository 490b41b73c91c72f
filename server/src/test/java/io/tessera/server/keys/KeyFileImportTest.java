package io.tessera.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.GcPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory's old key file moves into the replicated state once, grants and all, and is renamed
 * so that it is never read again; keys the state holds already are not replaced, and a broken file stays
 * where it is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyFileImportTest {
    private static final Instant T0 = Instant.parse("2025-03-04T05:06:07Z");

    @TempDir
    Path dir;

    private static AccessKey key(String id, String secret) {
        return AccessKey.create(id, secret, "label-" + id, KeyMaterial.ownerIdFor(id), "owner " + id, T0);
    }

    private Engine open() {
        return Engine.open(EngineConfig.defaults(dir).withGc(GcPolicy.MANUAL));
    }

    @Test
    void theFileIsImportedOnceAndRenamed() throws Exception {
        AccessKey a = key("TSRAAAAAAAAAAAAAAAAA", "old-a").withPermissions("photos", Permissions.ALL);
        AccessKey b = key("TSRBBBBBBBBBBBBBBBBB", "old-b").withPermissions("logs", Permissions.of(Access.READ));
        Files.createDirectories(dir);
        Files.write(dir.resolve(KeyFile.NAME), KeyJson.write(KeySet.of(List.of(a, b))));
        try (Engine engine = open()) {
            KeyStore store = new KeyStore(engine);
            store.put(List.of(key("TSRBBBBBBBBBBBBBBBBB", "already-there")));
            assertThat(KeyFileImport.run(store, dir)).isEqualTo(1);
            assertThat(dir.resolve(KeyFile.NAME)).doesNotExist();
            assertThat(dir.resolve(KeyFileImport.IMPORTED)).exists();
            KeySet keys = store.list();
            assertThat(keys.resolve("TSRAAAAAAAAAAAAAAAAA")).isEqualTo(a);
            assertThat(keys.resolve("TSRBBBBBBBBBBBBBBBBB").secretKey()).as("a key held already stays as it is")
                    .isEqualTo("already-there");
            assertThat(KeyFileImport.run(store, dir)).as("nothing left to import").isZero();
        }
        try (Engine engine = open()) {
            assertThat(new KeyStore(engine).list().resolve("TSRAAAAAAAAAAAAAAAAA").permissions("photos"))
                    .isEqualTo(Permissions.ALL);
        }
    }

    @Test
    void aBrokenFileStaysAndImportsNothing() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(KeyFile.NAME), "{\"format\": 1, \"keys\": [", StandardCharsets.UTF_8);
        try (Engine engine = open()) {
            KeyStore store = new KeyStore(engine);
            assertThatThrownBy(() -> KeyFileImport.run(store, dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not valid JSON");
            assertThat(dir.resolve(KeyFile.NAME)).exists();
            assertThat(store.list().size()).isZero();
        }
    }
}
