package io.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
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
 * Keys and grants are the group's replicated state: a key created through one member's admin API, and
 * granted through another's, signs requests on every member of a real 3-process group, and once deleted
 * through a third it is refused everywhere. Before each check on a member, a read by the admin key there
 * (linearizable: it waits until the member applied what the group had committed) orders it after the
 * change, so no check depends on timing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GroupKeysTest {
    private static final Pattern KEY_LINE = Pattern.compile("access key: (\\S+)");
    private static final Pattern SECRET_LINE = Pattern.compile("secret key: (\\S+)");

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String group(Pattern p) {
            Matcher m = p.matcher(out);
            assertThat(m.find()).as(out + err).isTrue();
            return m.group(1);
        }
    }

    private static Run tessera(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code tessera args...} against member {@code i}'s admin API, with the group's admin key. */
    private static Run through(GroupProcesses group, int i, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", group.adminEndpoint(i).toString(), "--access-key", GroupProcesses.ACCESS_KEY,
                "--secret-key", GroupProcesses.SECRET_KEY));
        Run r = tessera(all);
        assertThat(r.code()).as("tessera %s on %s: %s", String.join(" ", args), GroupProcesses.id(i), r.err())
                .isZero();
        return r;
    }

    private static S3Client client(GroupProcesses group, int i, String key, String secret) {
        return S3Client.builder()
                .endpointOverride(group.endpoint(i))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(60)))
                .build();
    }

    @Test
    void aKeyMadeThroughOneMemberSignsOnEveryMember() throws Exception {
        try (GroupProcesses group = GroupProcesses.start(dir, 3)) {
            S3Client[] admins = new S3Client[3];
            S3Client[] keyed = new S3Client[3];
            try {
                for (int i = 0; i < 3; i++) {
                    admins[i] = group.client(i);
                }
                admins[0].createBucket(b -> b.bucket("shared"));

                Run created = through(group, 0, "key", "create", "--name", "team");
                String id = created.group(KEY_LINE);
                String secret = created.group(SECRET_LINE);
                Run allowed = through(group, 1, "bucket", "allow", "--key", "team", "--read", "--write", "shared");
                assertThat(allowed.out()).contains("on bucket shared: read,write");

                for (int i = 0; i < 3; i++) {
                    int member = i;
                    admins[i].listObjectsV2(l -> l.bucket("shared")); // this member has applied the grant now
                    keyed[i] = client(group, i, id, secret);
                    keyed[i].putObject(p -> p.bucket("shared").key("from-" + GroupProcesses.id(member)),
                            RequestBody.fromString("signed by the key on " + GroupProcesses.id(member)));
                    assertThat(keyed[i].listObjectsV2(l -> l.bucket("shared")).keyCount())
                            .as("objects listed with the key on %s", GroupProcesses.id(i)).isEqualTo(i + 1);
                    S3Exception denied = catchThrowableOfType(S3Exception.class,
                            () -> keyed[member].deleteBucket(d -> d.bucket("shared")));
                    assertThat(denied.awsErrorDetails().errorCode()).as("DeleteBucket without owner on %s",
                            GroupProcesses.id(i)).isEqualTo("AccessDenied");
                }
                assertThat(through(group, 2, "key", "list").out()).contains(id, "team", "shared:read,write")
                        .doesNotContain(secret);

                through(group, 2, "key", "delete", id);
                for (int i = 0; i < 3; i++) {
                    int member = i;
                    admins[i].listObjectsV2(l -> l.bucket("shared"));
                    S3Exception refused = catchThrowableOfType(S3Exception.class, () -> keyed[member].listBuckets());
                    assertThat(refused.awsErrorDetails().errorCode()).as("the deleted key on %s",
                            GroupProcesses.id(i)).isEqualTo("InvalidAccessKeyId");
                }
            } catch (AssertionError | RuntimeException e) {
                StringBuilder logs = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    logs.append("\n--- ").append(GroupProcesses.id(i)).append(" ---\n").append(group.log(i));
                }
                throw new AssertionError(e.getMessage() + logs, e);
            } finally {
                for (S3Client c : admins) {
                    if (c != null) {
                        c.close();
                    }
                }
                for (S3Client c : keyed) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }
}
