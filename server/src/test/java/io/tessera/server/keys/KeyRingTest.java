package io.tessera.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.GcPolicy;
import io.tessera.server.auth.Credential;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's live view of its keys: admin keys, keys and grants of the replicated state in force as soon
 * as their command is answered, and grants that follow buckets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyRingTest {
    private static final Credential ADMIN = new Credential("ADMINKEY", "admin-secret", "c".repeat(64), "admin");
    private static final Instant T0 = Instant.parse("2025-03-04T05:06:07Z");

    @TempDir
    Path dir;

    private static AccessKey key(String id) {
        return AccessKey.create(id, "secret-" + id, "", KeyMaterial.ownerIdFor(id), "owner " + id, T0);
    }

    private Engine open() {
        return Engine.open(EngineConfig.defaults(dir).withGc(GcPolicy.MANUAL));
    }

    @Test
    void adminKeysMayDoEverythingAndUnknownKeysNothing() {
        try (Engine engine = open()) {
            new KeyStore(engine).put(List.of(key("KEYA").withPermissions("b", Permissions.of(Access.READ))));
            KeyRing ring = KeyRing.open(engine, List.of(ADMIN));
            assertThat(ring.find("ADMINKEY")).contains(ADMIN);
            assertThat(ring.permissions("ADMINKEY", "anything")).isEqualTo(Permissions.ALL);
            assertThat(ring.find("KEYA")).map(Credential::secretKey).contains("secret-KEYA");
            assertThat(ring.permissions("KEYA", "b")).isEqualTo(Permissions.of(Access.READ));
            assertThat(ring.permissions("KEYA", "c")).isEqualTo(Permissions.NONE);
            assertThat(ring.find("NOBODY")).isEmpty();
            assertThat(ring.permissions("NOBODY", "b")).isEqualTo(Permissions.NONE);
            assertThat(ring.displayName("c".repeat(64))).isEqualTo("admin");
            assertThat(ring.displayName(KeyMaterial.ownerIdFor("KEYA"))).isEqualTo("owner KEYA");
            assertThat(ring.displayName("d".repeat(64))).isNull();
        }
    }

    @Test
    void everyChangeIsInForceOnceItsCommandIsAnswered() {
        try (Engine engine = open()) {
            KeyRing ring = KeyRing.open(engine, List.of(ADMIN));
            KeyStore store = new KeyStore(engine);
            assertThat(ring.find("KEYA")).isEmpty();
            store.put(List.of(key("KEYA")));
            assertThat(ring.find("KEYA")).isPresent();

            store.changeGrants("KEYA", "b", Permissions.ALL, Permissions.NONE);
            assertThat(ring.permissions("KEYA", "b")).isEqualTo(Permissions.ALL);
            store.changeGrants("KEYA", "b", Permissions.NONE, Permissions.of(Access.OWNER));
            assertThat(ring.permissions("KEYA", "b")).isEqualTo(new Permissions(true, true, false));

            AccessKey made = store.create("made", null);
            assertThat(ring.find(made.accessKeyId())).map(Credential::secretKey).contains(made.secretKey());
            assertThat(made.ownerDisplayName()).isEqualTo("made");

            store.delete("KEYA");
            assertThat(ring.find("KEYA")).isEmpty();
        }
    }

    @Test
    void aCreatedBucketStartsWithItsCreatorAsOnlyGranteeAndADeletedOneDropsThem() {
        try (Engine engine = open()) {
            KeyStore store = new KeyStore(engine);
            store.put(List.of(key("KEYA").withPermissions("b", Permissions.of(Access.READ)), key("KEYB")));
            KeyRing ring = KeyRing.open(engine, List.of(ADMIN));
            engine.createBucket("b", "owner", ring.bucketGrantee("KEYB"), Permissions.ALL.bits());
            assertThat(ring.permissions("KEYB", "b")).isEqualTo(Permissions.ALL);
            assertThat(ring.permissions("KEYA", "b")).isEqualTo(Permissions.NONE);
            assertThat(store.list().resolve("KEYB").permissions("b")).isEqualTo(Permissions.ALL);

            engine.deleteBucket("b");
            assertThat(ring.permissions("KEYB", "b")).isEqualTo(Permissions.NONE);
            assertThat(store.list().resolve("KEYB").buckets()).isEmpty();

            store.changeGrants("KEYA", "c", Permissions.ALL, Permissions.NONE);
            assertThat(ring.bucketGrantee("ADMINKEY")).isNull();
            engine.createBucket("c", "owner", ring.bucketGrantee("ADMINKEY"), Permissions.ALL.bits());
            assertThat(ring.permissions("KEYA", "c")).isEqualTo(Permissions.NONE);
            assertThat(store.list().resolve("KEYA").buckets()).isEmpty();
        }
    }
}
