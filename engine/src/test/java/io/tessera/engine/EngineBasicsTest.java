package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.testkit.TestEngines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineBasicsTest {
    @TempDir
    Path dir;

    @Test
    void putGetAndMultipartRoundTrip() {
        try (Engine e = TestEngines.open(dir)) {
            e.createBucket("b", OWNER);
            byte[] body = TestEngines.bytes(1, 700_000);
            ObjectInfo put = TestEngines.put(e, "b", "k", body);
            assertThat(put.etag()).startsWith("\"").hasSize(34);
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(body);
            assertThat(TestEngines.read(e, "b", "k", ReadRange.bytes(10, 19)))
                    .isEqualTo(java.util.Arrays.copyOfRange(body, 10, 20));

            UploadInfo up = e.createUpload("b", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER));
            byte[] p1 = TestEngines.bytes(2, 300_000);
            byte[] p2 = TestEngines.bytes(3, 5000);
            PartInfo i1 = TestEngines.part(e, "b", "mp", up.uploadId(), 1, p1);
            PartInfo i2 = TestEngines.part(e, "b", "mp", up.uploadId(), 2, p2);
            ObjectInfo done = e.completeUpload("b", "mp", up.uploadId(),
                    List.of(new CompletedPart(1, i1.etag(), null), new CompletedPart(2, i2.etag(), null)),
                    CompleteOptions.NONE);
            assertThat(done.etag()).endsWith("-2\"");
            byte[] all = new byte[p1.length + p2.length];
            System.arraycopy(p1, 0, all, 0, p1.length);
            System.arraycopy(p2, 0, all, p1.length, p2.length);
            assertThat(TestEngines.read(e, "b", "mp")).isEqualTo(all);
            assertThat(TestEngines.read(e, "b", "mp", ReadRange.part(2))).isEqualTo(p2);

            assertThatThrownBy(() -> e.abortUpload("b", "mp", up.uploadId()))
                    .isInstanceOf(EngineException.class)
                    .extracting(t -> ((EngineException) t).code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD);
        }
        try (Engine e = TestEngines.open(dir)) {
            assertThat(e.listObjects("b", ListObjectsQuery.all()).objects()).extracting(ObjectInfo::key)
                    .containsExactly("k", "mp");
            assertThat(TestEngines.read(e, "b", "k")).isEqualTo(TestEngines.bytes(1, 700_000));
        }
    }
}
