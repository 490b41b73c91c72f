package io.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Three {@code tessera serve} processes on loopback form a group; the AWS SDK talks to every one of
 * them. A multipart upload whose requests go to different nodes completes; every acknowledged object
 * reads back, bytes included, from every node; with the first node killed (SIGKILL) the other two go
 * on taking writes and serving reads, and once it is started again it serves everything too.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GroupProcessesTest {
    private static final int PART = 5 << 20;

    @TempDir
    Path dir;

    @Test
    void anyNodeServesAnyRequestAndTheGroupOutlivesOneNode() throws Exception {
        try (GroupProcesses group = GroupProcesses.start(dir, 3)) {
            S3Client[] clients = new S3Client[3];
            for (int i = 0; i < 3; i++) {
                clients[i] = group.client(i);
            }
            try {
                clients[0].createBucket(b -> b.bucket("group"));
                Map<String, byte[]> acked = new LinkedHashMap<>();
                Random random = new Random(42);

                // one upload, its requests spread over the three nodes
                byte[] p1 = bytes(random, PART);
                byte[] p2 = bytes(random, 1234);
                String id = clients[0].createMultipartUpload(c -> c.bucket("group").key("mp")).uploadId();
                String e1 = clients[1].uploadPart(u -> u.bucket("group").key("mp").uploadId(id).partNumber(1),
                        RequestBody.fromBytes(p1)).eTag();
                String e2 = clients[2].uploadPart(u -> u.bucket("group").key("mp").uploadId(id).partNumber(2),
                        RequestBody.fromBytes(p2)).eTag();
                clients[2].completeMultipartUpload(c -> c.bucket("group").key("mp").uploadId(id)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(
                                CompletedPart.builder().partNumber(1).eTag(e1).build(),
                                CompletedPart.builder().partNumber(2).eTag(e2).build()).build()));
                acked.put("mp", concat(p1, p2));
                for (int i = 0; i < 6; i++) {
                    byte[] body = bytes(random, 100 + random.nextInt(200_000));
                    String key = "k" + i;
                    clients[i % 3].putObject(p -> p.bucket("group").key(key), RequestBody.fromBytes(body));
                    acked.put(key, body);
                }
                assertEveryNodeReads(group, clients, acked, List.of(0, 1, 2));

                group.kill(0);
                for (int i = 6; i < 10; i++) {
                    byte[] body = bytes(random, 100 + random.nextInt(100_000));
                    String key = "k" + i;
                    clients[1 + i % 2].putObject(p -> p.bucket("group").key(key), RequestBody.fromBytes(body));
                    acked.put(key, body);
                }
                String aborted = clients[1].createMultipartUpload(c -> c.bucket("group").key("gone")).uploadId();
                clients[2].abortMultipartUpload(a -> a.bucket("group").key("gone").uploadId(aborted));
                assertEveryNodeReads(group, clients, acked, List.of(1, 2));

                group.start(0);
                assertEveryNodeReads(group, clients, acked, List.of(0, 1, 2));
                for (int i = 0; i < 3; i++) {
                    S3Client c = clients[i];
                    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> c.listParts(
                            l -> l.bucket("group").key("gone").uploadId(aborted))))
                            .as("ListParts of the aborted upload on %s", GroupProcesses.id(i))
                            .isInstanceOf(NoSuchUploadException.class);
                }
            } catch (AssertionError | RuntimeException e) {
                StringBuilder logs = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    logs.append("\n--- ").append(GroupProcesses.id(i)).append(" ---\n").append(group.log(i));
                }
                throw new AssertionError(e.getMessage() + logs, e);
            } finally {
                for (S3Client c : clients) {
                    c.close();
                }
            }
        }
    }

    private static void assertEveryNodeReads(GroupProcesses group, S3Client[] clients, Map<String, byte[]> acked,
                                             List<Integer> nodes) {
        for (int i : nodes) {
            S3Client c = clients[i];
            List<String> listed = new ArrayList<>();
            c.listObjectsV2Paginator(l -> l.bucket("group")).contents().forEach(o -> listed.add(o.key()));
            assertThat(listed).as("the keys listed by %s", GroupProcesses.id(i))
                    .containsExactlyInAnyOrderElementsOf(acked.keySet());
            acked.forEach((key, body) -> assertThat(c.getObjectAsBytes(g -> g.bucket("group").key(key)).asByteArray())
                    .as("%s read from %s", key, GroupProcesses.id(i)).isEqualTo(body));
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
