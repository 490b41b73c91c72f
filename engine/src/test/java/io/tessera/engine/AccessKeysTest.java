package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access keys and grants as replicated state on one engine: keys with documents, grants that are added
 * and removed bit by bit, a delete that takes the key's grants with it, buckets whose creation starts
 * their grants afresh and whose deletion drops them, all durable across a reopen, and listeners told of
 * each change before its answer.
 */
class AccessKeysTest {
    @TempDir
    Path dir;

    private static AccessKeyEntry key(String id, Map<String, Integer> grants) {
        return new AccessKeyEntry(id, ("doc of " + id).getBytes(StandardCharsets.UTF_8), new TreeMap<>(grants));
    }

    private static Map<String, Integer> grantsOf(Engine e, String id) {
        return e.accessKeys().stream().filter(k -> k.accessKeyId().equals(id)).findFirst().orElseThrow().grants();
    }

    @Test
    void keysAndGrantsChangeOnlyThroughTheirCommandsAndSurviveAReopen() {
        try (Engine e = TestEngines.open(dir)) {
            AtomicInteger told = new AtomicInteger();
            e.onAccessKeysChanged(told::incrementAndGet);
            e.putAccessKeys(List.of(key("KA", Map.of("photos", 1)), key("KB", Map.of())));
            assertThat(told).hasValue(1);
            assertThat(e.accessKeys()).extracting(AccessKeyEntry::accessKeyId).containsExactly("KA", "KB");
            assertThat(new String(e.accessKeys().get(0).document(), StandardCharsets.UTF_8)).isEqualTo("doc of KA");

            assertThat(e.changeGrants("KA", "photos", 2 | 4, 0)).isEqualTo(7);
            assertThat(e.changeGrants("KA", "photos", 0, 2)).isEqualTo(5);
            assertThat(e.changeGrants("KB", "photos", 1, 0)).isEqualTo(1);
            assertThat(e.changeGrants("KB", "photos", 0, 1)).isZero();
            assertThat(grantsOf(e, "KB")).isEmpty();
            assertThatThrownBy(() -> e.changeGrants("NOBODY", "photos", 1, 0)).isInstanceOf(EngineException.class)
                    .extracting(x -> ((EngineException) x).code()).isEqualTo(ErrorCode.NO_SUCH_KEY);

            // a key put again is replaced with all its grants
            e.putAccessKeys(List.of(key("KA", Map.of("docs", 2))));
            assertThat(grantsOf(e, "KA")).isEqualTo(Map.of("docs", 2));
            e.changeGrants("KA", "photos", 1, 0);
            told.set(0);

            // a bucket starts its grants afresh: the leftover on its name goes, its creator gets its bits
            e.createBucket("photos", OWNER, "KB", 7);
            assertThat(told).hasValue(1);
            assertThat(grantsOf(e, "KA")).isEqualTo(Map.of("docs", 2));
            assertThat(grantsOf(e, "KB")).isEqualTo(Map.of("photos", 7));
            assertThatThrownBy(() -> e.createBucket("photos", OWNER, "KA", 7)).isInstanceOf(EngineException.class);
            assertThat(grantsOf(e, "KB")).as("a refused create changes no grant").isEqualTo(Map.of("photos", 7));
            e.createBucket("gone-key", OWNER, "NOBODY", 7);
            assertThat(e.accessKeys()).as("no grant for a key that does not exist")
                    .allSatisfy(k -> assertThat(k.grants()).doesNotContainKey("gone-key"));
            e.deleteBucket("photos");
            assertThat(grantsOf(e, "KB")).isEmpty();

            e.changeGrants("KB", "docs", 1, 0);
            e.deleteAccessKey("KA");
            assertThatThrownBy(() -> e.deleteAccessKey("KA")).isInstanceOf(EngineException.class)
                    .extracting(x -> ((EngineException) x).code()).isEqualTo(ErrorCode.NO_SUCH_KEY);
            e.putAccessKeys(List.of(AccessKeyEntry.of("KA", new byte[] {1})));
            assertThat(grantsOf(e, "KA")).as("a deleted key's grants went with it").isEmpty();
        }
        try (Engine e = TestEngines.open(dir)) {
            assertThat(e.accessKeys()).extracting(AccessKeyEntry::accessKeyId).containsExactly("KA", "KB");
            assertThat(grantsOf(e, "KB")).isEqualTo(Map.of("docs", 1));
            assertThat(e.accessKeys().get(0).document()).containsExactly(1);
        }
    }
}
