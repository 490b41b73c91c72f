package io.tessera.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The key store on disk: its JSON, its mode, atomic replacement, and the writers' lock. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyFileTest {
    private static final String SECRET = "s3cr3t/VALUE+that-must-not-leak-0123456";
    private static final Instant T0 = Instant.parse("2025-03-04T05:06:07Z");

    @TempDir
    Path dir;

    private static AccessKey key(String id) {
        return AccessKey.create(id, SECRET + id, "label-" + id, KeyMaterial.ownerIdFor(id), "owner " + id, T0);
    }

    @Test
    void aMissingFileHoldsNoKeys() {
        KeyFile file = KeyFile.in(dir);
        assertThat(file.read().size()).isZero();
        assertThat(file.stamp()).isEqualTo(KeyFile.Stamp.ABSENT);
    }

    @Test
    void keysAndGrantsRoundTripInAnOwnerOnlyFile() throws Exception {
        KeyFile file = KeyFile.in(dir);
        AccessKey a = key("TSRAAAAAAAAAAAAAAAAA").withPermissions("photos", Permissions.ALL)
                .withPermissions("logs", new Permissions(true, false, false));
        AccessKey b = key("TSRBBBBBBBBBBBBBBBBB").withPermissions("logs", new Permissions(false, true, false));
        KeyFile.Updated u = file.update(keys -> keys.with(a).with(b));

        KeySet read = file.read();
        assertThat(read).isEqualTo(u.keys());
        assertThat(read.keys()).containsExactly(a, b);
        assertThat(read.resolve("TSRAAAAAAAAAAAAAAAAA").permissions("logs"))
                .isEqualTo(new Permissions(true, false, false));
        assertThat(read.resolve("label-TSRBBBBBBBBBBBBBBBBB").permissions("photos")).isEqualTo(Permissions.NONE);
        assertThat(file.stamp()).isEqualTo(u.stamp());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys.json.lock"))))
                .isEqualTo("rw-------");
        assertThat(dir.resolve("keys.json.tmp")).doesNotExist();
        String json = Files.readString(file.path());
        assertThat(json).contains("\"format\" : 1", "\"photos\" : [ \"read\", \"write\", \"owner\" ]");
    }

    @Test
    void anUnchangedSetIsNotRewritten() {
        KeyFile file = KeyFile.in(dir);
        KeyFile.Stamp first = file.update(keys -> keys.with(key("TSRAAAAAAAAAAAAAAAAA"))).stamp();
        KeyFile.Stamp second = file.update(keys -> keys.withoutGrantsOn("nothing")).stamp();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aReplacementChangesTheStamp() {
        KeyFile file = KeyFile.in(dir);
        KeyFile.Stamp first = file.update(keys -> keys.with(key("TSRAAAAAAAAAAAAAAAAA"))).stamp();
        // same size, same second: the new inode tells them apart
        KeyFile.Stamp second = file.update(keys -> keys.with(key("TSRAAAAAAAAAAAAAAAAA")
                .withPermissions("b", Permissions.of(Access.READ)))).stamp();
        KeyFile.Stamp third = file.update(keys -> keys.with(key("TSRAAAAAAAAAAAAAAAAA")
                .withPermissions("b", Permissions.of(Access.WRITE)))).stamp();
        assertThat(second).isNotEqualTo(first);
        assertThat(third).isNotEqualTo(second);
    }

    @Test
    void concurrentWritersInOneProcessLoseNothing() throws Exception {
        KeyFile file = KeyFile.in(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String id = String.format("TSR%02d%015d", thread, i);
                        // a second handle on the same file, as the CLI and the node each have one
                        KeyFile.in(dir).update(keys -> keys.with(key(id)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(file.read().size()).isEqualTo(100);
    }

    @Test
    void aWriterWaitsForAnotherProcessHoldingTheLock() throws Exception {
        KeyFile file = KeyFile.in(dir, Duration.ofMillis(300));
        file.update(keys -> keys.with(key("TSRAAAAAAAAAAAAAAAAA")));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                LockHolder.class.getName(),
                dir.resolve("keys.json.lock").toString()).redirectErrorStream(true).start();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> file.update(keys -> keys.with(key("TSRBBBBBBBBBBBBBBBBB"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("keys.json.lock");
            assertThat(file.read().size()).isEqualTo(1);

            KeyFile patient = KeyFile.in(dir, Duration.ofSeconds(30));
            Future<KeyFile.Updated> waiting = pool.submit(() -> patient.update(keys -> keys.with(
                    key("TSRCCCCCCCCCCCCCCCCC"))));
            assertThat(waiting).isNotDone();
            holder.getOutputStream().close();
            assertThat(waiting.get(30, TimeUnit.SECONDS).keys().size()).isEqualTo(2);
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
            holder.destroyForcibly();
        }
        assertThat(file.read().keys()).extracting(AccessKey::accessKeyId)
                .containsExactly("TSRAAAAAAAAAAAAAAAAA", "TSRCCCCCCCCCCCCCCCCC");
    }

    @Test
    void malformedJsonIsReportedByPositionWithoutItsContent() throws Exception {
        KeyFile file = KeyFile.in(dir);
        Files.writeString(file.path(), "{\"format\": 1, \"keys\": [{\"accessKeyId\": \"TSRX\",\n"
                + "  \"secretKey\": \"" + SECRET + "\" \"name\": " + SECRET + "}]}");
        assertThatThrownBy(file::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.path().toString())
                .hasMessageContaining("line 2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET, "s3cr3t"));
    }

    @Test
    void anInvalidKeyIsReportedWithoutItsSecret() throws Exception {
        KeyFile file = KeyFile.in(dir);
        Files.writeString(file.path(), "{\"format\": 1, \"keys\": [{\"accessKeyId\": \"TSRX\", \"secretKey\": \""
                + SECRET + "\", \"ownerId\": \"" + "a".repeat(64) + "\", \"ownerDisplayName\": \"x\","
                + " \"created\": \"2025-01-01T00:00:00Z\", \"buckets\": {\"b\": [\"read\", \"" + SECRET + "\"]}}]}");
        assertThatThrownBy(file::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 1 (TSRX), bucket b: permissions must be among read, write, owner")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void noDescriptionShowsTheSecret() {
        AccessKey k = key("TSRAAAAAAAAAAAAAAAAA").withPermissions("b", Permissions.ALL);
        assertThat(k.toString()).contains("TSRAAAAAAAAAAAAAAAAA").doesNotContain(SECRET);
        assertThat(KeySet.of(List.of(k)).toString()).doesNotContain(SECRET);
        assertThat(k.credential().toString()).doesNotContain(SECRET);
    }

    @Test
    void grantsFollowAllowAndDeny() {
        AccessKey k = key("TSRAAAAAAAAAAAAAAAAA");
        Permissions rw = Permissions.NONE.plus(Permissions.of(Access.READ)).plus(Permissions.of(Access.WRITE));
        AccessKey granted = k.withPermissions("b", rw);
        assertThat(granted.permissions("b").allows(Access.WRITE)).isTrue();
        assertThat(granted.permissions("b").allows(Access.OWNER)).isFalse();
        AccessKey revoked = granted.withPermissions("b", rw.minus(Permissions.ALL));
        assertThat(revoked.buckets()).doesNotContainKey("b");
        assertThat(KeySet.of(List.of(granted)).withoutGrantsOn("b").resolve(k.accessKeyId()).buckets()).isEmpty();
    }
}
