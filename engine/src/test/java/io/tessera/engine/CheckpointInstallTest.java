package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.command.Command;
import io.tessera.engine.command.CommandCodec;
import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Catch-up by snapshot. Two members replay the log of a node on its own (receiving each command's blob
 * first, as from the member that took the request); member B stops, A applies many more commands (puts,
 * overwrites, deletes, versions, multipart uploads completed, aborted and left open, a bucket created and
 * one deleted) and writes a checkpoint; B installs it. B then holds A's state exactly, lists as missing
 * exactly the referenced blobs it never received, has dropped the blobs no longer referenced, adopted the
 * pending one the checkpoint references and kept the one nothing references yet; once the missing blobs
 * arrive it reads every object and version, fsck is clean, live bytes are exact, and it goes on applying
 * the log where the checkpoint ended. An install cut off after any batch of rows is finished on reopen.
 */
class CheckpointInstallTest {
    private static final String[] KEYS = {"a", "b", "c/d"};
    /** A blob id the leader (ids from 1) never hands out: received by B for a command never logged. */
    private static final long ORPHAN = 1L << 50;
    private static final int ORPHAN_SIZE = 50_000;

    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<byte[]> logged = new ConcurrentLinkedQueue<>();
    /** Every blob a replica received, with what it was for: what a member that lacks it is sent. */
    private final Map<Long, Blob> bodies = new HashMap<>();
    private final Set<Long> receivedByB = new HashSet<>();
    private final List<Long> namedWhileBDown = new ArrayList<>();

    /** A blob's bytes, and the upload and part number it is the body of (null and 0 for an object's). */
    private record Blob(byte[] body, byte[] uploadId, int partNumber) {
    }

    private static EngineConfig configA(Path at) {
        return TestEngines.config(at).withSegmentSize(1L << 20);
    }

    private static EngineConfig configB(Path at) {
        return TestEngines.config(at).withSegmentSize(256 << 10).withPieceSize(64 << 10);
    }

    /** A member whose group log applies an entry as soon as it is appended (reads need no barrier). */
    private static Engine member(EngineConfig config) {
        Engine e = Engine.openMember(config);
        GroupMember m = e.member();
        m.connect(entry -> {
            m.apply(m.appliedIndex() + 1, entry);
            return CompletableFuture.completedFuture(null);
        });
        m.readBarrier(() -> { });
        return e;
    }

    private void receive(Engine replica, long blobId, byte[] uploadId, int partNumber, byte[] body) {
        try (BodyWriter<Void> w = replica.member().receiveBlob(blobId, uploadId != null, uploadId, partNumber,
                body.length)) {
            w.write(ByteBuffer.wrap(body));
            w.commit(BodyExpectations.NONE);
        }
    }

    /** Receives a command's blob (the body of the request that logged it) on {@code replica}. */
    private void receiveBlobOf(Command<?> command, byte[] body, Engine replica, boolean isB) {
        long blobId;
        Blob blob;
        if (command instanceof Command.PutObject put) {
            blobId = put.newBlobs().get(0);
            blob = new Blob(body, null, 0);
        } else if (command instanceof Command.CommitPart part) {
            blobId = part.part().blobId();
            blob = new Blob(body, part.uploadId(), part.partNumber());
        } else {
            return;
        }
        receive(replica, blobId, blob.uploadId(), blob.partNumber(), body);
        bodies.put(blobId, blob);
        if (isB) {
            receivedByB.add(blobId);
        }
    }

    /** Applies what the leader logged since the last call on A, and on B unless it is null. */
    private void replay(byte[] body, Engine a, Engine b) {
        byte[] entry;
        while ((entry = logged.poll()) != null) {
            Command<?> command = CommandCodec.decode(entry);
            byte[] e = entry;
            receiveBlobOf(command, body, a, false);
            quietly(() -> a.applyReplicated(e)); // a refusal is an answer, the same on every member
            if (b != null) {
                receiveBlobOf(command, body, b, true);
                quietly(() -> b.applyReplicated(e));
            } else {
                namedWhileBDown.addAll(command.newBlobs());
            }
        }
    }

    private static void quietly(Runnable request) {
        try {
            request.run();
        } catch (EngineException e) {
            // an answer like any other; A applies the same command
        }
    }

    private static long live(Engine e) {
        return e.space().values().stream().mapToLong(SegmentSpace::liveBytes).sum();
    }

    /** What the test knows of the scenario once B stopped and A wrote its checkpoint. */
    private record Scenario(Path bDir, Path checkpoint, long checkpointIndex, long adoptedPending,
                            List<Long> garbageOnB) {
    }

    /**
     * Builds the scenario: A and B replay the leader's log, B stops, the leader and A go on, A checkpoints.
     * Leaves the leader and A open (the caller closes them).
     */
    private Scenario run(Engine leader, Engine a) throws Exception {
        Path bDir = dir.resolve("b");
        List<Long> garbageOnB = new ArrayList<>();
        long adoptedPending;
        try (Engine b = member(configB(bDir))) {
            leader.createBucket("v", OWNER);
            leader.setBucketVersioning("v", VersioningState.ENABLED);
            leader.createBucket("u", OWNER);
            leader.putAccessKeys(List.of(new AccessKeyEntry("K-OLD", "old".getBytes(StandardCharsets.UTF_8),
                    new java.util.TreeMap<>(java.util.Map.of("u", 3)))));
            replay(null, a, b);
            byte[] keep = TestEngines.bytes(1, 300_000);
            TestEngines.put(leader, "u", "keep", keep);
            replay(keep, a, b);
            byte[] over = TestEngines.bytes(2, 100_000);
            TestEngines.put(leader, "u", "over", over);
            replay(over, a, b);
            garbageOnB.add(lastBlob());
            for (int i = 0; i < 3; i++) {
                byte[] version = TestEngines.bytes(10 + i, 20_000 + i * 70_000);
                TestEngines.put(leader, "v", "k", version);
                replay(version, a, b);
            }
            String completed = leader.createUpload("u", "mp", UploadOptions.of(ObjectMetadata.EMPTY, OWNER))
                    .uploadId();
            String aborted = leader.createUpload("u", "gone", UploadOptions.of(ObjectMetadata.EMPTY, OWNER))
                    .uploadId();
            replay(null, a, b);
            for (int n = 1; n <= 2; n++) {
                byte[] part = TestEngines.bytes(20 + n, 70_000);
                TestEngines.part(leader, "u", "mp", completed, n, part);
                replay(part, a, b);
            }
            byte[] abortedPart = TestEngines.bytes(30, 90_000);
            TestEngines.part(leader, "u", "gone", aborted, 1, abortedPart);
            replay(abortedPart, a, b);
            garbageOnB.add(lastBlob());

            // B receives this put's blob but stops before its command applies: the checkpoint adopts it
            byte[] pending = TestEngines.bytes(40, 80_000);
            TestEngines.put(leader, "u", "pending", pending);
            byte[] entry = logged.poll();
            Command<?> put = CommandCodec.decode(entry);
            receiveBlobOf(put, pending, b, true);
            receiveBlobOf(put, pending, a, false);
            quietly(() -> a.applyReplicated(entry));
            adoptedPending = put.newBlobs().get(0);
            receive(b, ORPHAN, null, 0, TestEngines.bytes(41, ORPHAN_SIZE)); // its command never comes
            assertThat(logged).isEmpty();
        }

        // B is down: the leader and A go on
        Random random = new Random(7);
        for (int step = 0; step < 80; step++) {
            String bucket = random.nextBoolean() ? "v" : "u";
            String key = KEYS[random.nextInt(KEYS.length)];
            byte[] body = TestEngines.bytes(1000 + step, 1 + random.nextInt(random.nextInt(6) == 0 ? 200_000 : 8_000));
            switch (random.nextInt(6)) {
                case 0, 1, 2 -> quietly(() -> TestEngines.put(leader, bucket, key, body));
                case 3 -> quietly(() -> leader.deleteObject(bucket, key));
                case 4 -> quietly(() -> leader.setMetadataEntry(bucket, key, "x-amz-tagging", "t=" + body.length));
                default -> {
                    List<ObjectVersion> versions = leader.listObjectVersions(bucket,
                            new ListVersionsQuery(key, null, null, null, 100)).versions();
                    if (!versions.isEmpty()) {
                        String id = versions.get(random.nextInt(versions.size())).versionId();
                        quietly(() -> leader.deleteObjectVersion(bucket, key, id));
                    }
                }
            }
            replay(body, a, null);
        }
        byte[] overAgain = TestEngines.bytes(3, 120_000);
        TestEngines.put(leader, "u", "over", overAgain);
        replay(overAgain, a, null);
        String mp = leader.listUploads("u", new ListUploadsQuery(null, null, null, null, 10)).uploads().stream()
                .filter(u -> u.key().equals("mp")).findFirst().orElseThrow().uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (PartInfo p : leader.listParts("u", "mp", mp, 10, 0).parts()) {
            parts.add(new CompletedPart(p.partNumber(), p.etag(), null));
        }
        leader.completeUpload("u", "mp", mp, parts, CompleteOptions.NONE);
        replay(null, a, null);
        String gone = leader.listUploads("u", new ListUploadsQuery(null, null, null, null, 10)).uploads().stream()
                .filter(u -> u.key().equals("gone")).findFirst().orElseThrow().uploadId();
        leader.abortUpload("u", "gone", gone);
        leader.reclaimAbortedUploads();
        replay(null, a, null);
        String open = leader.createUpload("v", "open", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
        replay(null, a, null);
        byte[] openPart = TestEngines.bytes(50, 150_000);
        TestEngines.part(leader, "v", "open", open, 3, openPart);
        replay(openPart, a, null);
        leader.setBucketVersioning("v", VersioningState.SUSPENDED);
        replay(null, a, null);
        byte[] nullVersion = TestEngines.bytes(51, 9_000);
        TestEngines.put(leader, "v", "k", nullVersion);
        replay(nullVersion, a, null);
        leader.deleteAccessKey("K-OLD");
        leader.putAccessKeys(List.of(AccessKeyEntry.of("K-NEW", "new".getBytes(StandardCharsets.UTF_8))));
        leader.changeGrants("K-NEW", "v", 1, 0);
        leader.createBucket("w", OWNER, "K-NEW", 7);
        leader.createBucket("z", OWNER);
        leader.deleteBucket("z");
        replay(null, a, null);
        byte[] inW = TestEngines.bytes(52, 5_000);
        TestEngines.put(leader, "w", "x", inW);
        replay(inW, a, null);

        Path checkpoint = dir.resolve("checkpoint");
        Files.createDirectories(checkpoint);
        long index = a.member().checkpoint(checkpoint);
        assertThat(index).isEqualTo(a.member().appliedIndex());
        return new Scenario(bDir, checkpoint, index, adoptedPending, garbageOnB);
    }

    private long lastBlob() {
        return bodies.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** The blobs B must fetch: named while it was down, still held (so referenced) by A, never received by B. */
    private Set<Long> expectedMissing(Engine a) {
        Set<Long> expected = new HashSet<>();
        for (long blobId : namedWhileBDown) {
            if (a.member().holdsBlob(blobId) && !receivedByB.contains(blobId)) {
                expected.add(blobId);
            }
        }
        return expected;
    }

    /** B after its install: A's state once it has fetched what it lacks, then the log goes on. */
    private void assertCaughtUp(Engine leader, Engine a, Engine b, Scenario s) throws Exception {
        assertThat(b.member().appliedIndex()).isEqualTo(s.checkpointIndex());
        Set<Long> missing = new HashSet<>(b.member().missingBlobIds(10_000));
        Set<Long> expected = expectedMissing(a);
        assertThat(expected).as("the scenario leaves B something to fetch").isNotEmpty();
        assertThat(missing).isEqualTo(expected);
        assertThat(b.member().holdsBlob(s.adoptedPending())).isTrue();
        assertThat(b.member().pendingBlobs()).as("only the orphan is still pending").isEqualTo(1);
        assertThat(b.member().holdsBlob(ORPHAN)).isTrue();
        for (long garbage : s.garbageOnB()) {
            assertThat(b.member().holdsBlob(garbage)).as("blob %d, no longer referenced", garbage).isFalse();
        }

        for (long blobId : missing) {
            try (HeldBlob held = a.member().openBlob(blobId)) { // the bytes another member sends
                Blob blob = bodies.get(blobId);
                assertThat(held.length()).isEqualTo(blob.body().length);
                receive(b, blobId, blob.uploadId(), blob.partNumber(), blob.body()); // a missing blob: live at once
            }
        }
        assertThat(b.member().missingBlobIds(10)).isEmpty();
        String stateOfA = ReplicaDeterminismProperties.describe(a);
        assertThat(ReplicaDeterminismProperties.describe(b)).isEqualTo(stateOfA);
        assertThat(b.member().missingBlobIds(10)).as("no read found another blob lacking").isEmpty();
        assertThat(b.fsck(true).problems()).isEmpty();
        long orphanBytes = TestEngines.blobRecordBytes(b.config(), ORPHAN_SIZE);
        assertThat(live(b)).isEqualTo(TestEngines.expectedLiveBytes(b) + orphanBytes);

        // the log goes on after the checkpoint: index and version stamps continue where A's are
        leader.setBucketVersioning("v", VersioningState.ENABLED);
        replay(null, a, b);
        byte[] after = TestEngines.bytes(60, 30_000);
        TestEngines.put(leader, "v", "k", after);
        replay(after, a, b);
        assertThat(b.member().appliedIndex()).isEqualTo(a.member().appliedIndex());
        assertThat(ReplicaDeterminismProperties.describe(b)).isEqualTo(ReplicaDeterminismProperties.describe(a));
        b.collectGarbage();
        assertThat(b.fsck(true).problems()).isEmpty();
        assertThat(live(b)).isEqualTo(TestEngines.expectedLiveBytes(b) + orphanBytes);
    }

    @Test
    void aMemberThatWasDownInstallsACheckpointAndFetchesExactlyTheBlobsItLacks() throws Exception {
        try (Engine leader = Engine.open(TestEngines.config(dir.resolve("leader")));
             Engine a = member(configA(dir.resolve("a")))) {
            leader.observeCommands((index, entry) -> logged.add(entry));
            Scenario s = run(leader, a);
            try (Engine b = member(configB(s.bDir()))) {
                assertThat(b.member().appliedIndex()).isLessThan(s.checkpointIndex());
                java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
                b.onAccessKeysChanged(told::incrementAndGet);
                b.member().install(s.checkpoint());
                assertThat(told).as("access key listeners told of the install").hasPositiveValue();
                assertThat(b.accessKeys()).extracting(AccessKeyEntry::accessKeyId).containsExactly("K-NEW");
                assertThat(b.accessKeys().get(0).grants()).isEqualTo(java.util.Map.of("v", 1, "w", 7));
                assertCaughtUp(leader, a, b, s);
            }
        }
    }

    @ParameterizedTest(name = "cut off after batch {0}")
    @ValueSource(ints = {1, 4, 8, 11, 13}) // one batch or more per replicated column family: 13 here, the last
    void anInstallCutOffAfterAnyBatchIsFinishedWhenTheMemberOpensAgain(int cutAfter) throws Exception {
        try (Engine leader = Engine.open(TestEngines.config(dir.resolve("leader")));
             Engine a = member(configA(dir.resolve("a")))) {
            leader.observeCommands((index, entry) -> logged.add(entry));
            Scenario s = run(leader, a);
            int[] batches = {0};
            try (Engine b = member(configB(s.bDir()))) {
                assertThatThrownBy(() -> b.member().install(s.checkpoint(), () -> {
                    if (++batches[0] == cutAfter) {
                        throw new IllegalStateException("crash after batch " + cutAfter);
                    }
                })).hasMessageContaining("crash after batch");
            }
            // the fetched copy the install came from is gone (the group deletes it once install returns)
            try (var files = Files.walk(s.checkpoint())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            try (Engine b = member(configB(s.bDir()))) {
                try (var staged = Files.list(s.bDir().resolve("install"))) {
                    assertThat(staged.count()).as("staged copies left").isZero();
                }
                assertCaughtUp(leader, a, b, s);
            }
        }
    }
}
