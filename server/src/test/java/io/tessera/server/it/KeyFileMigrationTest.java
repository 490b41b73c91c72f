package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.keys.AccessKey;
import io.tessera.server.keys.KeyFileImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A node started on a data directory of an older version, whose keys are in {@code keys.json}: it imports
 * them into the replicated state at start, renames the file, and the old key signs requests with the
 * grants it had on an existing bucket, also after a restart with no file left.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyFileMigrationTest {
    private static final String ID = "TSROLDKEY00000000001";
    private static final String SECRET = "old/secret/from/the/key/file";

    @TempDir
    Path dir;

    @Test
    void anOldKeyFileIsImportedAtStartAndItsKeysSign() throws Exception {
        Path data = dir.resolve("node");
        try (TestNode node = TestNode.start(data); S3Client admin = node.client(false)) {
            admin.createBucket(b -> b.bucket("legacy"));
        }
        // what an older version left: its key file, beside the bucket its grant names
        Files.writeString(data.resolve("keys.json"), "{\"format\": 1, \"keys\": [{\"accessKeyId\": \"" + ID + "\","
                + " \"secretKey\": \"" + SECRET + "\", \"name\": \"old\", \"ownerId\": \"" + "e".repeat(64) + "\","
                + " \"ownerDisplayName\": \"old\", \"created\": \"2024-01-01T00:00:00Z\","
                + " \"buckets\": {\"legacy\": [\"read\", \"write\"]}}]}");
        for (int start = 0; start < 2; start++) {
            int round = start;
            try (TestNode node = TestNode.start(data);
                 S3Client old = node.client(ID, SECRET, false)) {
                assertThat(data.resolve("keys.json")).doesNotExist();
                assertThat(data.resolve(KeyFileImport.IMPORTED)).exists();
                assertThat(node.server().keys().keys().find(ID)).map(AccessKey::name).contains("old");
                old.putObject(p -> p.bucket("legacy").key("k" + round), RequestBody.fromString("x"));
                assertThat(old.listObjectsV2(l -> l.bucket("legacy")).keyCount()).isEqualTo(round + 1);
            }
        }
    }
}
