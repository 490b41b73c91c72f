package io.tessera.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.auth.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node's live view of its keys: admin keys, reloads of the file, and grants that follow buckets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyRingTest {
    private static final Credential ADMIN = new Credential("ADMINKEY", "admin-secret", "c".repeat(64), "admin");
    private static final Instant T0 = Instant.parse("2025-03-04T05:06:07Z");

    @TempDir
    Path dir;

    private static AccessKey key(String id) {
        return AccessKey.create(id, "secret-" + id, "", KeyMaterial.ownerIdFor(id), "owner " + id, T0);
    }

    /** Waits for {@code condition} up to {@code seconds}, polling; false when it never held. */
    private static boolean within(int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void adminKeysMayDoEverythingAndUnknownKeysNothing() {
        KeyFile.in(dir).update(keys -> keys.with(key("KEYA").withPermissions("b", Permissions.of(Access.READ))));
        try (KeyRing ring = KeyRing.open(dir, List.of(ADMIN))) {
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
    void changesByAnotherWriterArePickedUpWithoutARestart() throws Exception {
        try (KeyRing ring = KeyRing.open(dir, List.of(ADMIN))) {
            assertThat(ring.find("KEYA")).isEmpty();
            KeyFile.in(dir).update(keys -> keys.with(key("KEYA")));
            // one poll, plus slack for a loaded machine where polls run late
            assertThat(within(10, () -> ring.find("KEYA").isPresent())).isTrue();

            KeyFile.in(dir).update(keys -> keys.with(keys.resolve("KEYA").withPermissions("b", Permissions.ALL)));
            assertThat(within(10, () -> ring.permissions("KEYA", "b").equals(Permissions.ALL))).isTrue();

            KeyFile.in(dir).update(keys -> keys.without("KEYA"));
            assertThat(within(10, () -> ring.find("KEYA").isEmpty())).isTrue();
        }
    }

    @Test
    void aBrokenFileKeepsTheLastGoodKeysUntilItIsFixed() throws Exception {
        KeyFile file = KeyFile.in(dir);
        file.update(keys -> keys.with(key("KEYA")));
        try (KeyRing ring = KeyRing.open(dir, List.of(ADMIN))) {
            Path broken = dir.resolve("broken.json");
            Files.writeString(broken, "{\"format\": 1, \"keys\": [");
            Files.move(broken, file.path(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(ring::refresh).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not valid JSON");
            assertThat(ring.find("KEYA")).isPresent();

            Files.delete(file.path());
            file.update(keys -> keys.with(key("KEYB")));
            assertThat(within(10, () -> ring.find("KEYB").isPresent())).isTrue();
            assertThat(ring.find("KEYA")).isEmpty();
        }
    }

    @Test
    void aCreatedBucketStartsWithItsCreatorAsOnlyGrantee() {
        KeyFile file = KeyFile.in(dir);
        file.update(keys -> keys.with(key("KEYA").withPermissions("b", Permissions.of(Access.READ)))
                .with(key("KEYB")));
        try (KeyRing ring = KeyRing.open(dir, List.of(ADMIN))) {
            ring.bucketLifecycle(() -> {
                ring.bucketCreated("b", "KEYB");
                return null;
            });
            assertThat(ring.permissions("KEYB", "b")).isEqualTo(Permissions.ALL);
            assertThat(ring.permissions("KEYA", "b")).isEqualTo(Permissions.NONE);
            assertThat(file.read().resolve("KEYB").permissions("b")).isEqualTo(Permissions.ALL);

            ring.bucketDeleted("b");
            assertThat(ring.permissions("KEYB", "b")).isEqualTo(Permissions.NONE);
            assertThat(file.read().resolve("KEYB").buckets()).isEmpty();

            file.update(keys -> keys.with(keys.resolve("KEYA").withPermissions("c", Permissions.ALL)));
            ring.bucketCreated("c", "ADMINKEY");
            assertThat(ring.permissions("KEYA", "c")).isEqualTo(Permissions.NONE);
            assertThat(file.read().resolve("KEYA").buckets()).isEmpty();
        }
    }
}
