package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BucketConfigTest {
    @TempDir
    Path dir;

    private static byte[] doc(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void documentsLiveAndDieWithTheirBucket() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            assertThat(e.bucketConfig("b", "lifecycle")).isNull();
            e.setBucketConfig("b", "lifecycle", doc("<rules/>"));
            e.setBucketConfig("b", "cors", doc("<cors/>"));
            assertThat(e.bucketConfig("b", "lifecycle")).isEqualTo(doc("<rules/>"));
            e.setBucketConfig("b", "lifecycle", null);
            assertThat(e.bucketConfig("b", "lifecycle")).isNull();
            assertThat(e.bucketConfig("b", "cors")).isEqualTo(doc("<cors/>"));
            assertThatThrownBy(() -> e.setBucketConfig("missing", "cors", doc("x")))
                    .isInstanceOfSatisfying(EngineException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.NO_SUCH_BUCKET));

            e.deleteBucket("b");
            e.createBucket("b", OWNER); // a new bucket of the same name starts without documents
            assertThat(e.bucketConfig("b", "cors")).isNull();
        }
    }
}
