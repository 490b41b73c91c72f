package io.tessera.engine;

import static io.tessera.engine.testkit.TestEngines.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.engine.command.Command;
import io.tessera.engine.command.CommandCodec;
import io.tessera.engine.testkit.ManualClock;
import io.tessera.engine.testkit.TestEngines;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs a group member holds before the command naming them applies: received from the member that took
 * the request, or written here. They are durable (a restart keeps them), safe from collection, dropped in
 * the batch of a command refused at apply, and dropped by the retention sweep when no command came.
 * Members here are real engines on their own directories; their group's log is a synchronous one that
 * applies each entry as it is appended, and the commands come from a node on its own that logs them.
 */
class PendingBlobsTest {
    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<byte[]> logged = new ConcurrentLinkedQueue<>();

    /** A node on its own that takes the requests and whose log the members replay. */
    private Engine leader() {
        Engine e = Engine.open(TestEngines.config(dir.resolve("leader")));
        e.observeCommands((index, entry) -> logged.add(entry));
        return e;
    }

    private static EngineConfig memberConfig(Path path) {
        return TestEngines.config(path).withPieceSize(64 << 10).withSegmentSize(1 << 20);
    }

    /** A member whose group log applies an entry as soon as it is appended (and reads need no barrier). */
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

    /** Applies every logged command on {@code replica} until one that brings a blob, which it returns. */
    private byte[] replayUntilBlob(Engine replica) {
        byte[] entry;
        while ((entry = logged.poll()) != null) {
            if (!CommandCodec.decode(entry).newBlobs().isEmpty()) {
                return entry;
            }
            replica.applyReplicated(entry);
        }
        throw new AssertionError("no logged command brings a blob");
    }

    private static long blobOf(byte[] entry) {
        return CommandCodec.decode(entry).newBlobs().get(0);
    }

    private static void receive(Engine replica, long blobId, byte[] uploadId, int partNumber, byte[] body) {
        try (BodyWriter<Void> w = replica.member().receiveBlob(blobId, uploadId != null, uploadId, partNumber,
                body.length)) {
            w.write(ByteBuffer.wrap(body));
            w.commit(BodyExpectations.NONE);
        }
    }

    private static long live(Engine e) {
        return e.space().values().stream().mapToLong(SegmentSpace::liveBytes).sum();
    }

    private static void assertConsistent(Engine e) {
        FsckReport report = e.fsck(true);
        assertThat(report.problems()).isEmpty();
        assertThat(live(e)).isEqualTo(TestEngines.expectedLiveBytes(e));
    }

    @Test
    void aReceivedBlobOutlivesARestartAndIsAdoptedWhenItsCommandAppliesAfterIt() {
        byte[] body = TestEngines.bytes(1, 300_000); // five pieces on the member
        Path at = dir.resolve("member");
        byte[] put;
        try (Engine leader = leader(); Engine replica = member(memberConfig(at))) {
            leader.createBucket("b", OWNER);
            TestEngines.put(leader, "b", "k", body);
            put = replayUntilBlob(replica);
            receive(replica, blobOf(put), null, 0, body);
            assertThat(replica.member().pendingBlobs()).isEqualTo(1);
        }
        try (Engine replica = member(memberConfig(at))) {
            assertThat(replica.member().pendingBlobs()).isEqualTo(1);
            replica.applyReplicated(put);
            assertThat(TestEngines.read(replica, "b", "k")).isEqualTo(body);
            assertThat(replica.member().pendingBlobs()).isZero();
            assertThat(replica.member().missingBlobs()).isZero();
            assertConsistent(replica);
        }
    }

    @Test
    void aBlobAnAppliedCommandNamesAndThatNeverCameIsStillMissingAfterARestartAndLiveOnceItComes() {
        byte[] body = TestEngines.bytes(6, 150_000);
        Path at = dir.resolve("member");
        byte[] put;
        try (Engine leader = leader(); Engine replica = member(memberConfig(at))) {
            leader.createBucket("b", OWNER);
            TestEngines.put(leader, "b", "k", body);
            put = replayUntilBlob(replica);
            replica.applyReplicated(put); // its bytes did not come before it applied
            assertThat(replica.member().missingBlobIds(10)).containsExactly(blobOf(put));
        }
        try (Engine replica = member(memberConfig(at))) {
            assertThat(replica.member().missingBlobIds(10)).containsExactly(blobOf(put));
            assertThat(replica.member().missingBlobs()).isEqualTo(1);
            receive(replica, blobOf(put), null, 0, body);
            assertThat(replica.member().missingBlobIds(10)).isEmpty();
            assertThat(TestEngines.read(replica, "b", "k")).isEqualTo(body);
        }
    }

    @Test
    void aFullCollectionCycleBetweenReceiveAndApplyKeepsThePendingBytes() {
        byte[] body = TestEngines.bytes(2, 200_000);
        try (Engine leader = leader(); Engine replica = member(memberConfig(dir.resolve("member")))) {
            leader.createBucket("b", OWNER);
            String upload = leader.createUpload("b", "k", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            TestEngines.part(leader, "b", "k", upload, 1, body);
            byte[] part = replayUntilBlob(replica);
            Command.CommitPart commit = (Command.CommitPart) CommandCodec.decode(part);
            receive(replica, commit.part().blobId(), commit.uploadId(), 1, body);
            receive(replica, commit.part().blobId(), commit.uploadId(), 1, body); // a retry: garbage beside
            receive(replica, 1L << 40, null, 0, TestEngines.bytes(3, 100_000)); // a put whose command never comes
            long before = live(replica);
            GcReport report = replica.collectGarbage();
            assertThat(live(replica)).isEqualTo(before);
            assertThat(report.segmentsDeleted() + report.segmentsCompacted()).as("the cycle did collect").isPositive();
            replica.applyReplicated(part);
            assertThat(replica.listParts("b", "k", upload, 10, 0).parts()).hasSize(1);
            leader.completeUpload("b", "k", upload, List.of(new CompletedPart(1,
                    leader.listParts("b", "k", upload, 10, 0).parts().get(0).etag(), null)), CompleteOptions.NONE);
            replica.applyReplicated(logged.poll());
            assertThat(TestEngines.read(replica, "b", "k")).isEqualTo(body);
            assertThat(replica.member().pendingBlobs()).isEqualTo(1); // the orphan put, until its retention ends
            replica.collectGarbage();
            assertThat(TestEngines.read(replica, "b", "k")).isEqualTo(body);
            assertThat(replica.fsck(true).problems()).isEmpty();
        }
    }

    @Test
    void aCommandRefusedAtApplyDropsItsPendingBlobInTheSameBatch() {
        byte[] body = TestEngines.bytes(4, 120_000);
        try (Engine leader = leader(); Engine replica = member(memberConfig(dir.resolve("member")))) {
            leader.createBucket("b", OWNER);
            String upload = leader.createUpload("b", "k", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            try (BodyWriter<PartInfo> w = leader.beginUploadPart("b", "k", upload, 1,
                    new PartOptions(null, body.length))) {
                w.write(ByteBuffer.wrap(body));
                leader.abortUpload("b", "k", upload);
                assertThatThrownBy(() -> w.commit(BodyExpectations.NONE))
                        .isInstanceOfSatisfying(EngineException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            }
            byte[] late = replayUntilBlob(replica); // create, abort, then the late part
            long before = live(replica);
            Command.CommitPart commit = (Command.CommitPart) CommandCodec.decode(late);
            receive(replica, commit.part().blobId(), commit.uploadId(), 1, body);
            assertThat(live(replica)).isGreaterThan(before);
            assertThatThrownBy(() -> replica.applyReplicated(late)).isInstanceOfSatisfying(EngineException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_UPLOAD));
            assertThat(live(replica)).isEqualTo(before);
            assertThat(replica.member().pendingBlobs()).isZero();
            assertThat(replica.fsck(true).problems()).isEmpty();
            replica.collectGarbage();
            assertThat(replica.space().values()).allMatch(s -> s.liveBytes() == 0);
        }
    }

    @Test
    void theRetentionSweepDropsAPendingBlobNoCommandAdopted() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        Path at = dir.resolve("member");
        EngineConfig config = memberConfig(at).withClock(clock).withPendingBlobRetention(Duration.ofMinutes(10));
        byte[] body = TestEngines.bytes(5, 90_000);
        try (Engine replica = member(config)) {
            receive(replica, 77, null, 0, body);
            clock.advance(Duration.ofMinutes(9));
            receive(replica, 78, null, 0, body);
            replica.collectGarbage();
            assertThat(replica.member().pendingBlobs()).isEqualTo(2);
            clock.advance(Duration.ofMinutes(2));
            assertThat(replica.dropExpiredPendingBlobs()).isEqualTo(1);
            assertThatThrownBy(() -> replica.member().openBlob(77)).isInstanceOfSatisfying(EngineException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_KEY));
            try (HeldBlob kept = replica.member().openBlob(78)) {
                assertThat(kept.length()).isEqualTo(body.length);
            }
            assertThat(replica.fsck(true).problems()).isEmpty();
        }
        // a member that was down longer than the retention gets the retention again to replay its log
        clock.advance(Duration.ofHours(2));
        try (Engine replica = member(config)) {
            assertThat(replica.dropExpiredPendingBlobs()).isZero();
            assertThat(replica.member().pendingBlobs()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(10));
            replica.collectGarbage();
            assertThat(replica.member().pendingBlobs()).isZero();
            assertThat(live(replica)).isZero();
            assertThat(replica.fsck(true).problems()).isEmpty();
        }
    }

    @Test
    void receivingABlobTwiceKeepsOneCopyAndAnotherBodyUnderItsIdIsRefused() {
        byte[] body = TestEngines.bytes(6, 150_000);
        try (Engine leader = leader(); Engine replica = member(memberConfig(dir.resolve("member")))) {
            leader.createBucket("b", OWNER);
            TestEngines.put(leader, "b", "k", body);
            byte[] put = replayUntilBlob(replica);
            receive(replica, blobOf(put), null, 0, body);
            long once = live(replica);
            receive(replica, blobOf(put), null, 0, body);
            assertThat(live(replica)).isEqualTo(once);
            assertThat(replica.member().pendingBlobs()).isEqualTo(1);
            byte[] other = body.clone();
            other[1000] ^= 1;
            assertThatThrownBy(() -> receive(replica, blobOf(put), null, 0, other))
                    .isInstanceOfSatisfying(EngineException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
            replica.applyReplicated(put);
            assertThat(TestEngines.read(replica, "b", "k")).isEqualTo(body);
            receive(replica, blobOf(put), null, 0, body); // a retry after the apply: still harmless
            assertThat(replica.member().pendingBlobs()).isZero();
            replica.collectGarbage();
            assertConsistent(replica);
        }
    }

    @Test
    void aMembersOwnWriteIsPendingWhenAppendedAndItsBytesStreamToAnotherMember() throws Exception {
        byte[] body = TestEngines.bytes(7, 250_000);
        byte[] partBody = TestEngines.bytes(8, 70_000);
        try (Engine other = member(memberConfig(dir.resolve("other")));
             Engine taker = Engine.openMember(memberConfig(dir.resolve("taker")))) {
            GroupMember m = taker.member();
            List<String> seen = new ArrayList<>();
            m.connect(entry -> {
                // the group's transport: every blob the entry brings goes to the other member before it is logged
                for (long blobId : GroupMember.blobsNamedBy(entry)) {
                    seen.add("pending " + m.pendingBlobs());
                    try (HeldBlob held = m.openBlob(blobId)) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        held.transferTo(Channels.newChannel(bytes));
                        receive(other, blobId, held.uploadId(), held.partNumber(), bytes.toByteArray());
                        seen.add((held.part() ? "part " + held.partNumber() : "object") + " " + held.length());
                    }
                }
                m.apply(m.appliedIndex() + 1, entry);
                other.member().apply(other.member().appliedIndex() + 1, entry);
                return CompletableFuture.completedFuture(null);
            });
            m.readBarrier(() -> { });
            taker.createBucket("b", OWNER);
            TestEngines.put(taker, "b", "k", body);
            String upload = taker.createUpload("b", "m", UploadOptions.of(ObjectMetadata.EMPTY, OWNER)).uploadId();
            TestEngines.part(taker, "b", "m", upload, 3, partBody);
            assertThat(seen).containsExactly("pending 1", "object " + body.length, "pending 1",
                    "part 3 " + partBody.length);
            for (Engine e : List.of(taker, other)) {
                assertThat(TestEngines.read(e, "b", "k")).isEqualTo(body);
                assertThat(e.listParts("b", "m", upload, 10, 0).parts()).extracting(PartInfo::size)
                        .containsExactly((long) partBody.length);
                assertThat(e.member().pendingBlobs()).isZero();
                assertConsistent(e);
            }
        }
    }
}
