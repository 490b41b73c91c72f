package io.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Bounded failure: a member left alone (the two others killed) answers writes and reads with 503
 * SlowDown within the group's bound (5 s) plus slack, never hangs, and takes writes again once a second
 * member is back; what was acknowledged before is still there.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GroupQuorumTest {
    /** The group's request bound, and what an answer may take beyond it on a busy two-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration SLACK = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aLoneMemberAnswers503WithinTheBoundAndWritesResumeWithAMajority() throws Exception {
        try (GroupProcesses group = GroupProcesses.start(dir, 3);
             S3Client patient = group.client(0);
             S3Client once = noRetries(group.endpoint(0))) {
            patient.createBucket(b -> b.bucket("quorum"));
            patient.putObject(p -> p.bucket("quorum").key("before"), RequestBody.fromString("acknowledged"));

            group.kill(1);
            group.kill(2);
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                Throwable write = catchThrowable(() -> once.putObject(p -> p.bucket("quorum").key("alone"),
                        RequestBody.fromString("no majority")));
                assertAnsweredSlowDownInTime(write, start, "a write");
                start = System.nanoTime();
                Throwable read = catchThrowable(() -> once.getObjectAsBytes(g -> g.bucket("quorum").key("before")));
                assertAnsweredSlowDownInTime(read, start, "a read");
            }

            group.start(1);
            patient.putObject(p -> p.bucket("quorum").key("after"), RequestBody.fromString("majority again"));
            assertThat(patient.getObjectAsBytes(g -> g.bucket("quorum").key("before")).asUtf8String())
                    .isEqualTo("acknowledged");
            assertThat(patient.getObjectAsBytes(g -> g.bucket("quorum").key("after")).asUtf8String())
                    .isEqualTo("majority again");
        }
    }

    private static void assertAnsweredSlowDownInTime(Throwable t, long startNanos, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertThat(t).as(what + " without a majority").isInstanceOf(S3Exception.class);
        S3Exception e = (S3Exception) t;
        assertThat(e.statusCode()).as(what + ": " + e.getMessage()).isEqualTo(503);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
        assertThat(took).as(what + " answered within the bound").isLessThan(BOUND.plus(SLACK));
    }

    private static S3Client noRetries(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        GroupProcesses.ACCESS_KEY, GroupProcesses.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
