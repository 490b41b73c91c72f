package io.tessera.server.cli;

import io.tessera.engine.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.engine.EngineConfig;
import io.tessera.server.ServerConfig;
import io.tessera.server.admin.AdminReports.Fsck;
import io.tessera.server.admin.AdminReports.SpaceReport;
import io.tessera.server.admin.AdminReports.Status;
import io.tessera.server.admin.AdminReports.Uploads;
import io.tessera.server.it.TestNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The admin commands run in-process ({@code tessera ...} through picocli) against a real node over its
 * admin API, and offline on its data directory once it stopped: every command, its exit code, what it
 * prints for people and, with {@code --json}, the exact numbers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @TempDir
    Path dir;
    private TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Exit code, standard output and standard error of one command. */
    private record Run(int code, String out, String err) {
        <T> T json(Class<T> type) throws Exception {
            return JSON.readValue(out, type);
        }
    }

    private static Run tessera(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The command against the running node, with the admin key given as flags. */
    private Run remote(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", node.adminEndpoint().toString(), "--access-key", TestNode.ACCESS_KEY,
                "--secret-key", TestNode.SECRET_KEY));
        return tessera(all.toArray(String[]::new));
    }

    private Run offline(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data", dir.toString()));
        return tessera(all.toArray(String[]::new));
    }

    private static byte[] bytes(long n) {
        return new byte[(int) n];
    }

    /** An upload with parts of these sizes; returns its id. */
    private static String upload(S3Client s3, String bucket, String key, long... parts) {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        for (int i = 0; i < parts.length; i++) {
            int n = i + 1;
            s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(n),
                    RequestBody.fromBytes(bytes(parts[n - 1])));
        }
        return id;
    }

    @Test
    void clusterCommandsRefuseANodeOnItsOwnAndADataDirectory() {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        Run status = remote("cluster", "status");
        assertThat(status.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(status.out()).isEmpty();
        assertThat(status.err()).contains("tessera cluster status: the node at " + node.adminEndpoint()
                + " answered 404 NotInGroup: this node is not in a group");
        Run replace = remote("cluster", "replace", "n1", "n4", "--new-address", "127.0.0.1:9");
        assertThat(replace.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(replace.err()).contains("404 NotInGroup");
        Run table = tessera("cluster", "status", "--endpoint", node.adminEndpoint().toString(), "--endpoint",
                "http://127.0.0.1:1", "--access-key", TestNode.ACCESS_KEY, "--secret-key", TestNode.SECRET_KEY);
        assertThat(table.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(table.out()).contains("unreachable").contains("http://127.0.0.1:1");
        assertThat(table.err()).contains("NotInGroup").contains("no node answers on http://127.0.0.1:1");
        Run two = remote("status", "--endpoint", "http://127.0.0.1:1");
        assertThat(two.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(two.err()).contains("give one --endpoint");
        Run noReplacementAddress = remote("cluster", "replace", "n1", "n4");
        assertThat(noReplacementAddress.code()).as(noReplacementAddress.err()).isEqualTo(2);
        assertThat(noReplacementAddress.err()).contains("--new-address");
    }

    @Test
    void everyCommandWorksAgainstARunningNode() throws Exception {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        String photosUpload;
        String videosUpload;
        try (S3Client s3 = node.client(true)) {
            s3.createBucket(b -> b.bucket("photos"));
            s3.createBucket(b -> b.bucket("videos"));
            s3.putObject(b -> b.bucket("photos").key("cat.jpg"), RequestBody.fromBytes(bytes(1000)));
            photosUpload = upload(s3, "photos", "album.zip", TestNode.MIN_PART, 100);
            videosUpload = upload(s3, "videos", "film.mkv", 300);
        }
        long held = TestNode.MIN_PART + 100 + 300;

        Run status = remote("status");
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("node at " + node.adminEndpoint())
                .contains("uploads      2 incomplete, holding " + Human.bytes(held))
                .contains("buckets      2, holding 1 objects of 1000 B");
        Status s = remote("status", "--json").json(Status.class);
        assertThat(s.mode()).isEqualTo("node");
        assertThat(s.uptimeSeconds()).isNotNull();
        assertThat(s.space().uploadBytes()).isEqualTo(held);
        assertThat(s.space().uploads()).isEqualTo(2);
        assertThat(s.space().objectBytes()).isEqualTo(1000);

        Run space = remote("space");
        assertThat(space.code()).isZero();
        assertThat(space.out()).contains("BUCKET").contains("photos").contains("videos").contains("(all 2)");
        SpaceReport photos = remote("space", "--bucket", "photos", "--json").json(SpaceReport.class);
        assertThat(photos.buckets()).singleElement().satisfies(b -> {
            assertThat(b.bucket()).isEqualTo("photos");
            assertThat(b.objects()).isEqualTo(1);
            assertThat(b.uploads()).isEqualTo(1);
            assertThat(b.uploadBytes()).isEqualTo(TestNode.MIN_PART + 100);
        });
        Run noBucket = remote("space", "--bucket", "nope");
        assertThat(noBucket.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(noBucket.err()).contains("tessera space: ").contains("404 NoSuchBucket");

        Run list = remote("uploads", "list", "--older-than", "0s");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains(photosUpload).contains(videosUpload).contains("album.zip")
                .contains("2 incomplete uploads started at or before");
        Uploads listed = remote("uploads", "list", "--json").json(Uploads.class);
        assertThat(listed.count()).isEqualTo(2);
        assertThat(listed.bytes()).isEqualTo(held);
        assertThat(listed.uploads()).filteredOn(u -> u.uploadId().equals(photosUpload)).singleElement()
                .satisfies(u -> assertThat(u.parts()).isEqualTo(2));
        assertThat(remote("uploads", "list", "--older-than", "7d").out()).startsWith("0 incomplete uploads");

        Run dry = remote("uploads", "abort", "--older-than", "0s", "--dry-run");
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains(photosUpload).contains(videosUpload)
                .contains("dry run: would abort 2 uploads");
        assertThat(remote("status", "--json").json(Status.class).space().uploads()).isEqualTo(2);

        Run abort = remote("uploads", "abort", "--older-than", "0s", "--bucket", "videos");
        assertThat(abort.code()).as(abort.err()).isZero();
        assertThat(abort.out()).startsWith("aborted 1 uploads").contains(Human.bytes(300));
        assertThat(remote("uploads", "list", "--json").json(Uploads.class).uploads())
                .extracting(u -> u.uploadId()).containsExactly(photosUpload);

        Run gc = remote("gc");
        assertThat(gc.code()).as(gc.err()).isZero();
        assertThat(gc.out()).startsWith("gc: gave back ");
        assertThat(gc.err()).as("progress, plain without a terminal").contains("gc (node at ").contains("running");

        Run fsck = remote("fsck");
        assertThat(fsck.code()).isZero();
        assertThat(fsck.out()).startsWith("fsck: clean: ");
        Fsck bodies = remote("fsck", "--bodies", "--json").json(Fsck.class);
        assertThat(bodies.clean()).isTrue();
        assertThat(bodies.bodies()).isTrue();
        assertThat(bodies.liveBytes()).isGreaterThanOrEqualTo(1000 + TestNode.MIN_PART + 100);
    }

    @Test
    void theAdminKeyComesFromTheDataDirectoryAndAWrongOneIsRefused() throws Exception {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        Path creds = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(creds.resolve("credentials.properties"), "access-key=" + TestNode.ACCESS_KEY
                + "\nsecret-key=" + TestNode.SECRET_KEY.replace("\\", "\\\\") + "\n");
        Run ok = tessera("status", "--endpoint", node.adminEndpoint().toString(), "--data", creds.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("Tessera ");

        Run other = tessera("status", "--endpoint", node.adminEndpoint().toString(), "--access-key",
                TestNode.OTHER_ACCESS_KEY, "--secret-key", TestNode.OTHER_SECRET_KEY);
        assertThat(other.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(other.err()).contains("answered 403 InvalidAccessKeyId");

        Run none = tessera("status", "--endpoint", node.adminEndpoint().toString(), "--data",
                dir.resolve("no-such-dir").toString());
        assertThat(none.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(none.err()).contains("no admin key");
    }

    @Test
    void offlineCommandsNeedTheNodeStoppedAndThenWorkOnTheDataDirectory() throws Exception {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        String id;
        try (S3Client s3 = node.client(true)) {
            s3.createBucket(b -> b.bucket("offline"));
            id = upload(s3, "offline", "left.bin", TestNode.MIN_PART, 10);
        }
        Run held = offline("status");
        assertThat(held.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(held.err()).contains("a running node holds " + dir).contains("--endpoint");

        node.close();
        node = null;
        Run status = offline("status");
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("offline on " + dir).contains("uploads      1 incomplete");
        assertThat(offline("space", "--json").json(SpaceReport.class).total().uploadBytes())
                .isEqualTo(TestNode.MIN_PART + 10);
        assertThat(offline("uploads", "list").out()).contains(id);
        Run abort = offline("uploads", "abort", "--older-than", "0s");
        assertThat(abort.code()).as(abort.err()).isZero();
        assertThat(abort.out()).startsWith("aborted 1 uploads");
        assertThat(offline("gc").code()).isZero();
        Run fsck = offline("fsck", "--bodies");
        assertThat(fsck.code()).as(fsck.err()).isZero();
        assertThat(fsck.out()).startsWith("fsck: clean: ").contains("every byte read");
        assertThat(offline("uploads", "list", "--json").json(Uploads.class).count()).isZero();

        Run notData = tessera("status", "--data", dir.resolve("empty").toString());
        assertThat(notData.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(notData.err()).contains("is not a Tessera data directory");
        assertThat(dir.resolve("empty")).doesNotExist();
    }


    @Test
    void abortOlderThanTakesOnlyTheOldUploadsByTheNodesClock() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
        ServerConfig c = TestNode.baseConfig(dir);
        EngineConfig engine = c.engine().withClock(clock);
        node = TestNode.start(c.withEngine(engine), TestNode.adminOps());
        List<String> old = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        try (S3Client s3 = node.client(true)) {
            s3.createBucket(b -> b.bucket("aging"));
            for (int i = 0; i < 3; i++) {
                old.add(upload(s3, "aging", "old-" + i, 10));
            }
            clock.advance(Duration.ofDays(8));
            for (int i = 0; i < 2; i++) {
                fresh.add(upload(s3, "aging", "fresh-" + i, 10));
            }
        }
        Uploads oldOnes = remote("uploads", "list", "--older-than", "7d", "--json").json(Uploads.class);
        assertThat(oldOnes.uploads()).extracting(u -> u.uploadId()).containsExactlyInAnyOrderElementsOf(old);
        assertThat(oldOnes.uploads()).allSatisfy(u -> assertThat(u.ageSeconds()).isEqualTo(8 * 86_400));
        assertThat(remote("status").out()).contains("the oldest started 8d 0h ago");

        Run abort = remote("uploads", "abort", "--older-than", "7d");
        assertThat(abort.code()).as(abort.err()).isZero();
        assertThat(abort.out()).startsWith("aborted 3 uploads");
        assertThat(remote("uploads", "list", "--json").json(Uploads.class).uploads()).extracting(u -> u.uploadId())
                .containsExactlyInAnyOrderElementsOf(fresh);
    }

    @Test
    void aLongAbortRunsInBatchesWithProgress() throws Exception {
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        try (S3Client s3 = node.client(true)) {
            s3.createBucket(b -> b.bucket("many"));
            for (int i = 0; i < 12; i++) {
                String key = "k" + i;
                s3.createMultipartUpload(b -> b.bucket("many").key(key));
            }
        }
        Run abort = remote("uploads", "abort", "--older-than", "0s", "--batch", "5");
        assertThat(abort.code()).as(abort.err()).isZero();
        assertThat(abort.err()).contains("aborting uploads: 0/12").contains("aborting uploads: 5/12")
                .contains("aborting uploads: 10/12").contains("aborting uploads: 12/12");
        assertThat(abort.out()).startsWith("aborted 12 uploads");
        assertThat(remote("uploads", "list", "--json").json(Uploads.class).count()).isZero();
    }

    @Test
    void withoutANodeTheCommandSaysSo() {
        Run run = tessera("status", "--endpoint", "http://127.0.0.1:1", "--access-key", "k", "--secret-key", "s");
        assertThat(run.code()).isEqualTo(AdminCommand.FAILED);
        assertThat(run.err()).startsWith("tessera status: no node answers on http://127.0.0.1:1");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void everyCommandExplainsItself() {
        for (String[] cmd : List.of(new String[] {"status", "--help"}, new String[] {"space", "--help"},
                new String[] {"uploads", "list", "--help"}, new String[] {"uploads", "abort", "--help"},
                new String[] {"gc", "--help"}, new String[] {"fsck", "--help"})) {
            Run help = tessera(cmd);
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("--endpoint").contains("--data").contains("--json");
        }
        assertThat(tessera("uploads", "abort", "--help").out()).contains("--older-than").contains("--dry-run");
        assertThat(tessera("fsck", "--help").out()).contains("--bodies").contains("1  problems found");
        Run missing = tessera("uploads", "abort");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--older-than");
    }
}
