package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.FsckReport;
import io.tessera.engine.testkit.SmallDisk;
import io.tessera.server.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A node whose disk fills up, driven by the SDK: a real node on a 48 MiB tmpfs (where mounting is
 * refused, and once more in any case, on a disk simulated under its segments; see {@link SmallDisk}).
 * Writes are answered {@code 507 XTesseraStorageFull}; what was acknowledged reads back bit-exact and
 * lists; deleting objects and one collection cycle let writes in again, with no restart.
 */
class DiskFullTest {
    private static final long DISK = 48L << 20;
    private static final int MIB = 1 << 20;
    private static final String BUCKET = "full";

    @TempDir
    Path tmp;

    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void assertStorageFull(Throwable t) {
        assertThat(t).isInstanceOf(S3Exception.class);
        S3Exception e = (S3Exception) t;
        assertThat(e.statusCode()).isEqualTo(507);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("XTesseraStorageFull");
        assertThat(e.awsErrorDetails().errorMessage()).contains("disk is full").contains("Delete objects");
    }

    private static void assertIntact(S3Client s3, TestNode node, Map<String, byte[]> acked) {
        acked.forEach((k, v) -> {
            assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(k)).asByteArray()).as(k).isEqualTo(v);
            HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key(k));
            assertThat(head.contentLength()).as(k).isEqualTo(v.length);
        });
        List<String> listed = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().stream().map(S3Object::key).forEach(listed::add);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(acked.keySet());
        FsckReport fsck = node.server().engine().fsck(true);
        assertThat(fsck.problems()).isEmpty();
        assertThat(fsck.orphanFiles()).isEmpty();
    }

    @ParameterizedTest(name = "simulated disk: {0}")
    @ValueSource(booleans = {false, true})
    void aFullDiskAnswers507KeepsEverythingAcknowledgedAndTakesWritesAgainOnceObjectsAreDeleted(
            boolean simulated) {
        try (SmallDisk disk = simulated ? SmallDisk.simulated(tmp, DISK) : SmallDisk.create(tmp, DISK)) {
            ServerConfig base = TestNode.baseConfig(disk.dataDir());
            Map<String, byte[]> acked = new LinkedHashMap<>();
            try (TestNode node = TestNode.start(base.withEngine(disk.configure(base.engine())));
                 S3Client s3 = node.client(false)) {
                s3.createBucket(r -> r.bucket(BUCKET));
                S3Exception refused = null;
                for (int i = 0; i < 60 && refused == null; i++) { // 60 MiB cannot fit
                    String key = "k" + i;
                    byte[] body = bytes(i, MIB);
                    try {
                        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
                        acked.put(key, body);
                    } catch (S3Exception e) {
                        refused = e;
                    }
                }
                assertThat(refused).as("a PUT refused on a full disk").isNotNull();
                assertStorageFull(refused);
                assertThat(acked).as("objects stored before").hasSizeGreaterThanOrEqualTo(30);

                // every write of a body is refused; metadata-only calls still commit
                String upload = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("mp")).uploadId();
                assertThatThrownBy(() -> s3.uploadPart(r -> r.bucket(BUCKET).key("mp").uploadId(upload).partNumber(1),
                        RequestBody.fromBytes(bytes(99, MIB)))).satisfies(DiskFullTest::assertStorageFull);
                assertThatThrownBy(() -> s3.copyObject(r -> r.sourceBucket(BUCKET).sourceKey("k0")
                        .destinationBucket(BUCKET).destinationKey("copy"))).satisfies(DiskFullTest::assertStorageFull);
                assertThatThrownBy(() -> s3.putObject(r -> r.bucket(BUCKET).key("again"),
                        RequestBody.fromBytes(bytes(98, MIB)))).satisfies(DiskFullTest::assertStorageFull);
                assertIntact(s3, node, acked);

                // deletes commit; the next collection cycle gives their space back
                List<String> keys = new ArrayList<>(acked.keySet());
                for (String k : keys.subList(3, keys.size())) {
                    s3.deleteObject(r -> r.bucket(BUCKET).key(k));
                    acked.remove(k);
                }
                assertThat(node.server().engine().collectGarbage().bytesReclaimed()).isGreaterThan(16L * MIB);
                for (int i = 100; i < 110; i++) {
                    String key = "k" + i;
                    byte[] body = bytes(i, MIB);
                    s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
                    acked.put(key, body);
                }
                byte[] part = bytes(97, MIB);
                String etag = s3.uploadPart(r -> r.bucket(BUCKET).key("mp").uploadId(upload).partNumber(1),
                        RequestBody.fromBytes(part)).eTag();
                s3.completeMultipartUpload(r -> r.bucket(BUCKET).key("mp").uploadId(upload).multipartUpload(
                        CompletedMultipartUpload.builder().parts(CompletedPart.builder().partNumber(1).eTag(etag)
                                .build()).build()));
                acked.put("mp", part);
                assertIntact(s3, node, acked);
            }
        }
    }
}
