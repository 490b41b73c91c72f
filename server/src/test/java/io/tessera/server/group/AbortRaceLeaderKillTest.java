package io.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * The abort race of a group with a member killed -9 in the middle (issue 16): parts race an abort
 * through every member while one member, in turn each of the three (so the leader among them), is killed;
 * once the abort has returned, no part upload that starts afterwards is accepted (those that get an
 * answer get NoSuchUpload), and ListParts and Complete answer NoSuchUpload on every member.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class AbortRaceLeaderKillTest {
    private static final String BUCKET = "race";
    private static final int UPLOADERS_PER_MEMBER = 2;
    /** Part uploads that must have ended before the kill, and after the abort returned. */
    private static final int ATTEMPTS_EACH_SIDE = 6;

    @TempDir
    Path dir;

    /** One part upload: who sent it, when, and what it answered (the HTTP status, 0 without an answer). */
    record Attempt(int member, int part, long startNanos, int status, String code, String eTag) {
        boolean accepted() {
            return status == 200;
        }
    }

    @Test
    void noPartStartedAfterTheAbortReturnedIsAcceptedWhileAMemberIsKilled() throws Exception {
        try (GroupProcesses group = GroupProcesses.start(dir, 3)) {
            S3Client[] clients = new S3Client[group.size()];
            for (int i = 0; i < clients.length; i++) {
                clients[i] = group.client(i);
            }
            try {
                clients[0].createBucket(b -> b.bucket(BUCKET));
                for (int victim = 0; victim < group.size(); victim++) {
                    race(group, clients, victim);
                }
            } catch (AssertionError | RuntimeException e) {
                StringBuilder logs = new StringBuilder();
                for (int i = 0; i < group.size(); i++) {
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

    private void race(GroupProcesses group, S3Client[] clients, int victim) throws Exception {
        int aborter = (victim + 1) % group.size();
        String key = "race-" + victim;
        String upload = clients[aborter].createMultipartUpload(c -> c.bucket(BUCKET).key(key)).uploadId();
        Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicInteger partNumbers = new AtomicInteger(1);
        AtomicLong abortReturned = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch before = new CountDownLatch(ATTEMPTS_EACH_SIDE);
        CountDownLatch after = new CountDownLatch(ATTEMPTS_EACH_SIDE);
        List<Thread> uploaders = new ArrayList<>();
        List<S3Client> raw = new ArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        for (int m = 0; m < group.size(); m++) {
            for (int u = 0; u < UPLOADERS_PER_MEMBER; u++) {
                S3Client client = group.clientWithoutRetries(m, Duration.ofSeconds(15));
                raw.add(client);
                int member = m;
                Random random = new Random(victim * 100L + m * 10L + u);
                uploaders.add(new Thread(() -> {
                    while (stop.getCount() > 0) {
                        byte[] bytes = new byte[64 << 10];
                        random.nextBytes(bytes);
                        Attempt a = attempt(client, member, key, upload, partNumbers.getAndIncrement(), bytes);
                        attempts.add(a);
                        before.countDown();
                        if (a.startNanos() > abortReturned.get()) {
                            after.countDown();
                        }
                        if (a.status() == 0) {
                            return; // its member is down: its connections are refused from now on
                        }
                    }
                }, "race-uploader-" + m + "-" + u));
            }
        }
        uploaders.forEach(Thread::start);
        try {
            assertThat(before.await(60, TimeUnit.SECONDS)).as("part uploads before the kill").isTrue();
            group.kill(victim);
            try {
                clients[aborter].abortMultipartUpload(a -> a.bucket(BUCKET).key(key).uploadId(upload));
            } catch (NoSuchUploadException e) {
                // a retried abort whose first attempt took effect before its answer was lost
            }
            abortReturned.set(System.nanoTime());
            assertThat(after.await(60, TimeUnit.SECONDS)).as("part uploads started after the abort returned")
                    .isTrue();
        } finally {
            stop.countDown();
            for (Thread t : uploaders) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            raw.forEach(S3Client::close);
        }
        assertThat(uploaders.stream().filter(Thread::isAlive).toList()).as("uploaders still running").isEmpty();
        group.start(victim);

        long returned = abortReturned.get();
        List<Attempt> late = attempts.stream().filter(a -> a.startNanos() > returned).toList();
        String described = attempts.stream().map(Attempt::toString).collect(Collectors.joining("\n"));
        assertThat(late).as("parts started after the abort returned (victim %s)\n%s", GroupProcesses.id(victim),
                described).isNotEmpty().noneMatch(Attempt::accepted);
        assertThat(late).as("late parts that got an answer answered NoSuchUpload\n%s", described)
                .filteredOn(a -> a.status() != 0 && a.status() != 503)
                .isNotEmpty()
                .allMatch(a -> "NoSuchUpload".equals(a.code()));
        List<CompletedPart> acceptedBefore = attempts.stream().filter(Attempt::accepted)
                .map(a -> CompletedPart.builder().partNumber(a.part()).eTag(a.eTag()).build())
                .sorted(java.util.Comparator.comparingInt(CompletedPart::partNumber)).toList();
        for (int i = 0; i < group.size(); i++) {
            S3Client c = clients[i];
            assertThat(catchThrowable(() -> c.listParts(l -> l.bucket(BUCKET).key(key).uploadId(upload))))
                    .as("ListParts on %s after the abort (victim %s)", GroupProcesses.id(i), GroupProcesses.id(victim))
                    .isInstanceOf(NoSuchUploadException.class);
        }
        if (!acceptedBefore.isEmpty()) {
            assertThat(catchThrowable(() -> clients[victim].completeMultipartUpload(c -> c.bucket(BUCKET).key(key)
                    .uploadId(upload).multipartUpload(mp -> mp.parts(acceptedBefore)))))
                    .as("Complete after the abort on %s", GroupProcesses.id(victim))
                    .isInstanceOf(NoSuchUploadException.class);
        }
        System.out.printf("abort race, %s killed: %d part uploads, %d accepted, %d started after the abort returned"
                        + " (%d NoSuchUpload, %d without an answer)%n", GroupProcesses.id(victim), attempts.size(),
                attempts.stream().filter(Attempt::accepted).count(), late.size(),
                late.stream().filter(a -> "NoSuchUpload".equals(a.code())).count(),
                late.stream().filter(a -> a.status() == 0).count());
    }

    private static Attempt attempt(S3Client client, int member, String key, String upload, int part, byte[] bytes) {
        long start = System.nanoTime();
        try {
            String eTag = client.uploadPart(u -> u.bucket(BUCKET).key(key).uploadId(upload).partNumber(part),
                    RequestBody.fromBytes(bytes)).eTag();
            return new Attempt(member, part, start, 200, null, eTag);
        } catch (AwsServiceException e) {
            return new Attempt(member, part, start, e.statusCode(), e.awsErrorDetails().errorCode(), null);
        } catch (SdkException e) {
            return new Attempt(member, part, start, 0, e.getClass().getSimpleName(), null);
        }
    }
}
