package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Keys are at most 1024 UTF-8 bytes wherever they enter: the path, a copy source, a DeleteObjects entry. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyLengthTest {
    static final String LONGEST = "k".repeat(1024);
    static final String TOO_LONG = "k".repeat(1025);
    /** 342 three-byte characters: 342 chars, 1026 bytes. */
    static final String TOO_LONG_IN_BYTES = "\u65e5".repeat(342);

    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-keys");
        node = TestNode.start(dir);
        s3 = node.client(true);
        s3.createBucket(b -> b.bucket("keys"));
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void deleteObjectsReportsKeysTooLongAndDeletesTheOthers() {
        s3.putObject(r -> r.bucket("keys").key(LONGEST), RequestBody.fromString("longest"));
        s3.putObject(r -> r.bucket("keys").key("short"), RequestBody.fromString("short"));
        String huge = "x".repeat(2_000_000);
        DeleteObjectsResponse res = s3.deleteObjects(r -> r.bucket("keys").delete(d -> d.objects(
                ObjectIdentifier.builder().key(TOO_LONG).build(),
                ObjectIdentifier.builder().key(LONGEST).build(),
                ObjectIdentifier.builder().key(TOO_LONG_IN_BYTES).build(),
                ObjectIdentifier.builder().key(huge).build())));
        assertThat(res.errors()).hasSize(3).allSatisfy(e -> {
            assertThat(e.code()).isEqualTo("KeyTooLongError");
            assertThat(e.message()).isEqualTo("Your key is too long");
        });
        assertThat(res.errors()).extracting(e -> e.key().getBytes(StandardCharsets.UTF_8).length)
                .containsExactly(1025, 1026, 2_000_000);
        assertThat(res.deleted()).extracting(d -> d.key()).containsExactly(LONGEST);
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("keys").key(LONGEST)))
                .isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("keys").key("short")).asUtf8String()).isEqualTo("short");
    }

    @Test
    void pathKeysTooLongAreRefused() {
        for (String key : List.of(TOO_LONG, TOO_LONG_IN_BYTES)) {
            assertKeyTooLong(() -> s3.putObject(r -> r.bucket("keys").key(key), RequestBody.fromString("x")));
            assertKeyTooLong(() -> s3.getObjectAsBytes(r -> r.bucket("keys").key(key)));
            assertKeyTooLong(() -> s3.deleteObject(r -> r.bucket("keys").key(key)));
            assertKeyTooLong(() -> s3.createMultipartUpload(r -> r.bucket("keys").key(key)));
        }
        s3.putObject(r -> r.bucket("keys").key("src"), RequestBody.fromString("x"));
        assertKeyTooLong(() -> s3.copyObject(r -> r.sourceBucket("keys").sourceKey(TOO_LONG)
                .destinationBucket("keys").destinationKey("dst")));
        assertKeyTooLong(() -> s3.copyObject(r -> r.sourceBucket("keys").sourceKey("src")
                .destinationBucket("keys").destinationKey(TOO_LONG_IN_BYTES)));
        assertThat(s3.listObjectsV2(r -> r.bucket("keys")).contents())
                .allSatisfy(o -> assertThat(o.key().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024));
    }

    private static void assertKeyTooLong(ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError");
        });
    }
}
