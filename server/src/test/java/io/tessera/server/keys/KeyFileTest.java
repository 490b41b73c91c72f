package io.tessera.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The old key file (read when it is imported), a key's document in the replicated state, and what keys print. */
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
        assertThat(file.exists()).isFalse();
        assertThat(file.read().size()).isZero();
    }

    @Test
    void keysAndGrantsRoundTripThroughTheFile() throws Exception {
        KeyFile file = KeyFile.in(dir);
        AccessKey a = key("TSRAAAAAAAAAAAAAAAAA").withPermissions("photos", Permissions.ALL)
                .withPermissions("logs", new Permissions(true, false, false));
        AccessKey b = key("TSRBBBBBBBBBBBBBBBBB").withPermissions("logs", new Permissions(false, true, false));
        byte[] json = KeyJson.write(KeySet.of(List.of(a, b)));
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"format\" : 1",
                "\"photos\" : [ \"read\", \"write\", \"owner\" ]");
        Files.write(file.path(), json);

        KeySet read = file.read();
        assertThat(read.keys()).containsExactly(a, b);
        assertThat(read.resolve("TSRAAAAAAAAAAAAAAAAA").permissions("logs"))
                .isEqualTo(new Permissions(true, false, false));
        assertThat(read.resolve("label-TSRBBBBBBBBBBBBBBBBB").permissions("photos")).isEqualTo(Permissions.NONE);
    }

    @Test
    void aKeysDocumentInTheReplicatedStateHoldsAllButItsIdAndGrants() {
        AccessKey a = key("TSRAAAAAAAAAAAAAAAAA").withPermissions("photos", new Permissions(true, false, true));
        byte[] doc = KeyJson.document(a);
        String text = new String(doc, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("accessKeyId", "buckets", "photos", "\n");
        assertThat(KeyJson.fromDocument("TSRAAAAAAAAAAAAAAAAA", doc, a.buckets())).isEqualTo(a);
        assertThat(Permissions.fromBits(new Permissions(true, false, true).bits()))
                .isEqualTo(new Permissions(true, false, true));
        assertThat(Permissions.ALL.bits()).isEqualTo(7);
        assertThatThrownBy(() -> KeyJson.fromDocument("TSRX", ("{\"format\":1,\"secretKey\":\"" + SECRET + "\"}")
                .getBytes(StandardCharsets.UTF_8), java.util.Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key TSRX")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
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
