package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.command.Command;
import io.tessera.engine.command.CommandCodec;
import io.tessera.engine.testkit.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * One log, three replicas, one state. A random run of requests goes to one engine, which logs and
 * applies their commands; two more engines, group members with other segment sizes, piece sizes and
 * collection schedules, receive the blobs those commands name (some twice, some with a collection cycle
 * before their command applies) and apply the same log entries. Afterwards all three
 * hold the same buckets, versions, objects (bytes included), uploads, parts and usage counters, and
 * answered every command the same way: apply depends on the log and nothing else, as replication needs.
 * Late parts (after their upload's abort) are in the mix: a refusal is an answer too. So are access keys
 * and their grants, which follow the life of a bucket created and deleted again.
 */
class ReplicaDeterminismProperties {
    private static final String[] KEYS = {"a", "b", "c/d", "c/e"};

    @Property(tries = 12)
    void replicasApplyingOneLogReachOneState(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) throws Exception {
        Path root = Files.createTempDirectory("replicas");
        try (Engine leader = Engine.open(TestEngines.config(root.resolve("a")));
             Engine small = member(TestEngines.config(root.resolve("b")).withSegmentSize(256 << 10)
                     .withPieceSize(64 << 10));
             Engine large = member(TestEngines.config(root.resolve("c")).withSegmentSize(32L << 20))) {
            ConcurrentLinkedQueue<byte[]> logged = new ConcurrentLinkedQueue<>();
            leader.observeCommands((index, entry) -> logged.add(entry));
            Random random = new Random(seed);
            List<String> uploads = new ArrayList<>();
            leader.createBucket("v", OWNER);
            leader.setBucketVersioning("v", VersioningState.ENABLED);
            leader.createBucket("u", OWNER);
            replay(logged, null, random, small, large);
            for (int step = 0; step < 60; step++) {
                String bucket = random.nextBoolean() ? "v" : "u";
                String key = KEYS[random.nextInt(KEYS.length)];
                byte[] body = TestEngines.bytes(random.nextLong(), 1 + random.nextInt(random.nextInt(8) == 0
                        ? 300_000 : 5_000));
                String upload = uploads.isEmpty() ? null : uploads.get(random.nextInt(uploads.size()));
                int partNumber = 1 + random.nextInt(3);
                switch (random.nextInt(13)) {
                    case 0, 1 -> quietly(() -> TestEngines.put(leader, bucket, key, body));
                    case 2 -> quietly(() -> leader.deleteObject(bucket, key));
                    case 3 -> quietly(() -> leader.createUpload(bucket, key, UploadOptions.of(ObjectMetadata.EMPTY,
                            OWNER)));
                    case 4, 5 -> {
                        if (upload != null) {
                            String[] at = upload.split(" ", 3);
                            quietly(() -> TestEngines.part(leader, at[0], at[1], at[2], partNumber, body));
                        }
                    }
                    case 6 -> {
                        if (upload != null) {
                            String[] at = upload.split(" ", 3);
                            quietly(() -> leader.abortUpload(at[0], at[1], at[2]));
                        }
                    }
                    case 7 -> {
                        if (upload != null) {
                            String[] at = upload.split(" ", 3);
                            quietly(() -> complete(leader, at[0], at[1], at[2]));
                        }
                    }
                    case 8 -> quietly(() -> leader.setMetadataEntry(bucket, key, "x-amz-tagging", "t=" + body.length));
                    case 10, 11, 12 -> accessKeyStep(leader, random);
                    default -> {
                        List<ObjectVersion> versions = leader.listObjectVersions(bucket,
                                new ListVersionsQuery(key, null, null, null, 100)).versions();
                        if (!versions.isEmpty()) {
                            String id = versions.get(random.nextInt(versions.size())).versionId();
                            quietly(() -> leader.deleteObjectVersion(bucket, key, id));
                        }
                    }
                }
                for (UploadInfo u : leader.listUploads(bucket, new ListUploadsQuery(null, null, null, null, 1000))
                        .uploads()) {
                    String named = bucket + " " + u.key() + " " + u.uploadId();
                    if (!uploads.contains(named)) {
                        uploads.add(named);
                    }
                }
                String[] at = upload == null ? null : upload.split(" ", 3);
                replay(logged, body, random, small, large);
                if (random.nextInt(8) == 0) {
                    (random.nextBoolean() ? small : large).compactSegments();
                }
            }
            leader.reclaimAbortedUploads();
            replay(logged, null, random, small, large);
            small.compactSegments();
            String expected = describe(leader);
            assertThat(describe(small)).isEqualTo(expected);
            assertThat(describe(large)).isEqualTo(expected);
            for (Engine e : List.of(small, large)) {
                assertThat(e.member().pendingBlobs()).as("pending blobs").isZero();
                assertThat(e.member().missingBlobs()).as("missing blobs").isZero();
            }
            for (Engine e : List.of(leader, small, large)) {
                assertThat(e.fsck(true).clean()).as("fsck").isTrue();
                assertThat(TestEngines.liveBytes(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final String[] ACCESS_KEYS = {"K0", "K1", "K2"};

    /** A change of access keys or grants, or of the bucket "w" whose grants follow its life. */
    private static void accessKeyStep(Engine leader, Random random) {
        String id = ACCESS_KEYS[random.nextInt(ACCESS_KEYS.length)];
        String bucket = random.nextBoolean() ? "w" : "u";
        switch (random.nextInt(5)) {
            case 0 -> quietly(() -> leader.putAccessKeys(List.of(new AccessKeyEntry(id,
                    ("doc " + random.nextInt()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new java.util.TreeMap<>(java.util.Map.of("u", 1 + random.nextInt(7)))))));
            case 1 -> quietly(() -> leader.deleteAccessKey(id));
            case 2 -> quietly(() -> leader.changeGrants(id, bucket, random.nextInt(8), random.nextInt(8)));
            case 3 -> quietly(() -> leader.createBucket("w", OWNER, random.nextBoolean() ? id : null, 7));
            default -> quietly(() -> leader.deleteBucket("w"));
        }
    }

    /**
     * A group member whose log applies each entry as it is appended: {@link Engine#applyReplicated} then
     * goes through the member's own group log and answers as the member applied the entry.
     */
    private static Engine member(EngineConfig config) {
        Engine e = Engine.openMember(config);
        GroupMember m = e.member();
        m.connect(entry -> {
            m.apply(m.appliedIndex() + 1, entry);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
        m.readBarrier(() -> { });
        return e;
    }

    /**
     * Applies what the leader logged since the last call on both replicas, each receiving first the blob a
     * command brings: the body of the request just made ({@code body}), sometimes twice (a sender's retry),
     * sometimes with a full collection cycle between its receipt and its command.
     * Each replica must answer as the leader did; the answers are compared by their text.
     */
    private static void replay(ConcurrentLinkedQueue<byte[]> logged, byte[] body, Random random,
                               Engine... replicas) {
        byte[] entry;
        List<String> answers = new ArrayList<>();
        while ((entry = logged.poll()) != null) {
            Command<?> command = CommandCodec.decode(entry);
            for (Engine replica : replicas) {
                int copies = random.nextInt(6) == 0 ? 2 : 1;
                for (int i = 0; i < copies; i++) {
                    if (command instanceof Command.PutObject put) {
                        receive(replica, put.newBlobs().get(0), null, 0, body);
                    } else if (command instanceof Command.CommitPart part) {
                        receive(replica, part.part().blobId(), part.uploadId(), part.partNumber(), body);
                    }
                }
                if (!command.newBlobs().isEmpty() && random.nextInt(6) == 0) {
                    replica.compactSegments();
                }
                byte[] e = entry;
                answers.add(answer(() -> replica.applyReplicated(e)));
            }
            assertThat(answers.get(answers.size() - 1)).as("answers of %s", command.getClass().getSimpleName())
                    .isEqualTo(answers.get(answers.size() - 2));
        }
    }

    private static void receive(Engine replica, long blobId, byte[] uploadId, int partNumber, byte[] body) {
        try (BodyWriter<Void> w = replica.member().receiveBlob(blobId, uploadId != null, uploadId, partNumber,
                body.length)) {
            w.write(java.nio.ByteBuffer.wrap(body));
            w.commit(BodyExpectations.NONE);
        }
    }

    private static String answer(java.util.concurrent.Callable<Object> call) {
        try {
            return String.valueOf(call.call());
        } catch (EngineException e) {
            return e.code().name();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void complete(Engine e, String bucket, String key, String uploadId) {
        List<CompletedPart> parts = new ArrayList<>();
        for (PartInfo p : e.listParts(bucket, key, uploadId, 1000, 0).parts()) {
            parts.add(new CompletedPart(p.partNumber(), p.etag(), null));
        }
        if (!parts.isEmpty()) {
            e.completeUpload(bucket, key, uploadId, parts, CompleteOptions.NONE);
        }
    }

    private static void quietly(Runnable request) {
        try {
            request.run();
        } catch (EngineException e) {
            // an answer like any other: the replicas must give the same one
        }
    }

    /** Everything a client can see of an engine's state, as text. */
    static String describe(Engine e) throws IOException {
        StringBuilder s = new StringBuilder();
        for (BucketInfo b : e.listBuckets()) {
            s.append("bucket ").append(b.name()).append(' ').append(b.id()).append(' ').append(b.created())
                    .append(' ').append(e.bucketVersioning(b.name())).append('\n');
            for (ObjectVersion v : e.listObjectVersions(b.name(), new ListVersionsQuery(null, null, null, null, 1000))
                    .versions()) {
                s.append("  version ").append(v).append('\n');
            }
            for (ObjectInfo o : e.listObjects(b.name(), ListObjectsQuery.all()).objects()) {
                ObjectInfo head = e.headObject(b.name(), o.key());
                s.append("  object ").append(head.key()).append(' ').append(head.etag()).append(' ')
                        .append(head.metadata()).append(' ').append(java.util.Arrays.hashCode(
                                TestEngines.read(e, b.name(), o.key()))).append('\n');
            }
            for (UploadInfo u : e.listUploads(b.name(), new ListUploadsQuery(null, null, null, null, 1000))
                    .uploads()) {
                s.append("  upload ").append(u).append('\n');
                for (PartInfo p : e.listParts(b.name(), u.key(), u.uploadId(), 1000, 0).parts()) {
                    s.append("    part ").append(p).append('\n');
                }
            }
        }
        s.append(e.usage());
        for (AccessKeyEntry k : e.listAccessKeys()) {
            s.append("\naccess key ").append(k.accessKeyId()).append(' ')
                    .append(new String(k.document(), java.nio.charset.StandardCharsets.UTF_8)).append(' ')
                    .append(k.grants());
        }
        return s.toString();
    }
}
