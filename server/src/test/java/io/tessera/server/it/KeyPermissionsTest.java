package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.cli.Main;
import io.tessera.server.keys.Permissions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Access keys on a running node, made and changed with the {@code tessera key} and {@code tessera bucket}
 * commands through its admin API while it serves, each change in force once answered: each operation
 * needs its permission on its bucket, a refusal is AccessDenied and changes nothing, and the admin key may
 * do everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyPermissionsTest {
    private static final Pattern KEY_LINE = Pattern.compile("access key: (\\S+)");
    private static final Pattern SECRET_LINE = Pattern.compile("secret key: (\\S+)");
    private static final byte[] PART = new byte[(int) TestNode.MIN_PART];

    private final AtomicInteger buckets = new AtomicInteger();
    private final List<S3Client> clients = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;
    private Path dir;
    private TestNode node;
    private S3Client admin;

    /** A key of the store, with its client. */
    private record Key(String id, String secret, S3Client s3) {
    }

    @BeforeAll
    void start() {
        // the node logs to the console through logback (System.err in the jar, System.out in tests), which
        // looks the stream up on every write
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(new Tee(stdout, log), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(stderr, log), true, StandardCharsets.UTF_8));
        dir = TempDirs.create("tessera-keys");
        node = TestNode.start(TestNode.baseConfig(dir), TestNode.adminOps());
        admin = node.client(false);
        Arrays.fill(PART, (byte) 'p');
    }

    @AfterAll
    void stop() {
        clients.forEach(S3Client::close);
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.close();
        }
        TempDirs.delete(dir);
        if (stderr != null) {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    // ---- the tools ----

    private String tessera(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", node.adminEndpoint().toString(), "--access-key", TestNode.ACCESS_KEY,
                "--secret-key", TestNode.SECRET_KEY));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute(all.toArray(String[]::new))).as(err.toString()).isZero();
        return out.toString();
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    /** {@code tessera key create} through the node's admin API: the key signs at once. */
    private Key newKey(String name) {
        String out = tessera("key", "create", "--name", name);
        Key k = new Key(group(KEY_LINE, out), group(SECRET_LINE, out),
                node.client(group(KEY_LINE, out), group(SECRET_LINE, out), false));
        clients.add(k.s3());
        secrets.add(k.secret());
        k.s3().listBuckets(); // in force as soon as the command answered
        return k;
    }

    /** {@code tessera bucket allow|deny}: in force once it answers. */
    private void grant(String verb, Key k, String bucket, String... flags) {
        List<String> args = new ArrayList<>(List.of("bucket", verb, "--key", k.id()));
        args.addAll(List.of(flags));
        args.add(bucket);
        String out = tessera(args.toArray(String[]::new));
        String now = out.substring(out.lastIndexOf(": ") + 2).trim();
        assertThat(node.server().keys().permissions(k.id(), bucket)).hasToString(now);
    }

    /** A bucket of the admin's with object {@code k} and an upload in progress (one part); returns its upload id. */
    private String adminBucket(String b) {
        admin.createBucket(r -> r.bucket(b));
        admin.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("original"));
        String upload = admin.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
        admin.uploadPart(r -> r.bucket(b).key("mp").uploadId(upload).partNumber(1), RequestBody.fromBytes(PART));
        return upload;
    }

    private String bucket(String prefix) {
        return prefix + "-" + buckets.incrementAndGet();
    }

    private static void denied(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Access Denied");
        });
    }

    /** HEAD answers have no body: the status is all there is. */
    private static void deniedHead(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode())
                .isEqualTo(403));
    }

    private static void deniedRead(S3Client s3, String b, String upload) {
        denied(() -> s3.getObjectAsBytes(r -> r.bucket(b).key("k")));
        deniedHead(() -> s3.headObject(r -> r.bucket(b).key("k")));
        deniedHead(() -> s3.headBucket(r -> r.bucket(b)));
        denied(() -> s3.getBucketLocation(r -> r.bucket(b)));
        denied(() -> s3.listObjectsV2(r -> r.bucket(b)));
        denied(() -> s3.listObjects(r -> r.bucket(b)));
        denied(() -> s3.listMultipartUploads(r -> r.bucket(b)));
        denied(() -> s3.listParts(r -> r.bucket(b).key("mp").uploadId(upload)));
    }

    private static void deniedWrite(S3Client s3, String b, String upload) {
        denied(() -> s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("changed")));
        denied(() -> s3.putObject(r -> r.bucket(b).key("new"), RequestBody.fromString("new")));
        denied(() -> s3.deleteObject(r -> r.bucket(b).key("k")));
        denied(() -> s3.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(ObjectIdentifier.builder().key("k")
                .build()))));
        denied(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("k").destinationBucket(b)
                .destinationKey("copy")));
        denied(() -> s3.createMultipartUpload(r -> r.bucket(b).key("mp2")));
        denied(() -> s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(upload).partNumber(2),
                RequestBody.fromBytes(PART)));
        denied(() -> s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("k").destinationBucket(b)
                .destinationKey("mp").uploadId(upload).partNumber(3)));
        denied(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag("x").build()))));
        denied(() -> s3.abortMultipartUpload(r -> r.bucket(b).key("mp").uploadId(upload)));
    }

    /** What {@link #adminBucket} made is there, untouched. */
    private void unchanged(String b, String upload) {
        assertThat(admin.getObjectAsBytes(r -> r.bucket(b).key("k")).asUtf8String()).isEqualTo("original");
        assertThat(admin.listObjectsV2(r -> r.bucket(b)).contents()).extracting(S3Object::key).containsExactly("k");
        assertThat(admin.listParts(r -> r.bucket(b).key("mp").uploadId(upload)).parts()).hasSize(1);
        assertThat(admin.listMultipartUploads(r -> r.bucket(b)).uploads()).hasSize(1);
    }

    // ---- the tests ----

    @Test
    void aKeyWithoutPermissionIsDeniedEveryOperationAndNothingChanges() {
        Key k = newKey("nobody");
        String b = bucket("closed");
        String upload = adminBucket(b);

        deniedRead(k.s3(), b, upload);
        deniedWrite(k.s3(), b, upload);
        denied(() -> k.s3().deleteBucket(r -> r.bucket(b)));
        assertThat(k.s3().listBuckets().buckets()).extracting(Bucket::name).doesNotContain(b);

        unchanged(b, upload);
        assertThat(admin.listBuckets().buckets()).extracting(Bucket::name).contains(b);
    }

    @Test
    void readLetsAKeyGetAndListButNotWrite() {
        Key k = newKey("reader");
        String b = bucket("readable");
        String upload = adminBucket(b);
        grant("allow", k, b, "--read");

        assertThat(k.s3().getObjectAsBytes(r -> r.bucket(b).key("k")).asUtf8String()).isEqualTo("original");
        assertThat(k.s3().headObject(r -> r.bucket(b).key("k")).contentLength()).isEqualTo(8);
        k.s3().headBucket(r -> r.bucket(b));
        assertThat(k.s3().listObjectsV2(r -> r.bucket(b)).contents()).extracting(S3Object::key).containsExactly("k");
        assertThat(k.s3().listObjects(r -> r.bucket(b)).contents()).extracting(S3Object::key).containsExactly("k");
        assertThat(k.s3().listMultipartUploads(r -> r.bucket(b)).uploads()).hasSize(1);
        assertThat(k.s3().listParts(r -> r.bucket(b).key("mp").uploadId(upload)).parts()).hasSize(1);
        assertThat(k.s3().listBuckets().buckets()).extracting(Bucket::name).contains(b);

        deniedWrite(k.s3(), b, upload);
        denied(() -> k.s3().deleteBucket(r -> r.bucket(b)));
        unchanged(b, upload);

        // reading one bucket and writing another: a copy needs read on its source, write on its target
        String mine = bucket("mine");
        k.s3().createBucket(r -> r.bucket(mine));
        k.s3().copyObject(r -> r.sourceBucket(b).sourceKey("k").destinationBucket(mine).destinationKey("copied"));
        assertThat(k.s3().getObjectAsBytes(r -> r.bucket(mine).key("copied")).asUtf8String()).isEqualTo("original");
        denied(() -> k.s3().copyObject(r -> r.sourceBucket(mine).sourceKey("copied").destinationBucket(b)
                .destinationKey("back")));
        unchanged(b, upload);
    }

    @Test
    void writeLetsAKeyPutAndUploadMultipart() {
        Key k = newKey("writer");
        String b = bucket("writable");
        String upload = adminBucket(b);
        grant("allow", k, b, "--write");

        k.s3().putObject(r -> r.bucket(b).key("put"), RequestBody.fromString("by writer"));
        String mp = k.s3().createMultipartUpload(r -> r.bucket(b).key("multi")).uploadId();
        UploadPartResponse p1 = k.s3().uploadPart(r -> r.bucket(b).key("multi").uploadId(mp).partNumber(1),
                RequestBody.fromBytes(PART));
        UploadPartResponse p2 = k.s3().uploadPart(r -> r.bucket(b).key("multi").uploadId(mp).partNumber(2),
                RequestBody.fromString("tail"));
        k.s3().completeMultipartUpload(r -> r.bucket(b).key("multi").uploadId(mp).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(p1.eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(p2.eTag()).build())));
        k.s3().abortMultipartUpload(r -> r.bucket(b).key("mp").uploadId(upload));
        k.s3().deleteObject(r -> r.bucket(b).key("k"));

        // write is not read, and not owner
        deniedRead(k.s3(), b, upload);
        denied(() -> k.s3().deleteBucket(r -> r.bucket(b)));

        assertThat(admin.getObjectAsBytes(r -> r.bucket(b).key("put")).asUtf8String()).isEqualTo("by writer");
        assertThat(admin.headObject(r -> r.bucket(b).key("multi")).contentLength()).isEqualTo(PART.length + 4);
        assertThat(admin.listMultipartUploads(r -> r.bucket(b)).uploads()).isEmpty();
        ListObjectsResponse listed = admin.listObjects(r -> r.bucket(b));
        assertThat(listed.contents()).extracting(S3Object::key).containsExactly("multi", "put");
        assertThat(listed.contents().get(1).owner().displayName()).isEqualTo("writer");
    }

    @Test
    void denyRevokesWhatAllowGave() {
        Key k = newKey("revoked");
        String b = bucket("revoke");
        String upload = adminBucket(b);
        grant("allow", k, b, "--read", "--write", "--owner");
        k.s3().putObject(r -> r.bucket(b).key("w"), RequestBody.fromString("w"));

        grant("deny", k, b, "--write");
        denied(() -> k.s3().putObject(r -> r.bucket(b).key("w2"), RequestBody.fromString("w2")));
        assertThat(k.s3().getObjectAsBytes(r -> r.bucket(b).key("w")).asUtf8String()).isEqualTo("w");

        grant("deny", k, b, "--read", "--owner");
        deniedRead(k.s3(), b, upload);
        denied(() -> k.s3().deleteBucket(r -> r.bucket(b)));
        assertThat(k.s3().listBuckets().buckets()).extracting(Bucket::name).doesNotContain(b);
        assertThat(admin.listObjectsV2(r -> r.bucket(b)).contents()).extracting(S3Object::key)
                .containsExactly("k", "w");
    }

    @Test
    void deletingAKeyRevokesIt() {
        Key k = newKey("doomed");
        String b = bucket("doomed");
        adminBucket(b);
        grant("allow", k, b, "--read", "--write");
        k.s3().putObject(r -> r.bucket(b).key("before"), RequestBody.fromString("x"));

        tessera("key", "delete", k.id());
        assertThat(node.server().keys().find(k.id())).isEmpty();
        assertThatThrownBy(() -> k.s3().putObject(r -> r.bucket(b).key("after"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
                });
        assertThat(admin.listObjectsV2(r -> r.bucket(b)).contents()).extracting(S3Object::key)
                .containsExactly("before", "k");
    }

    @Test
    void aKeyOwnsTheBucketItCreatesAndTheAdminKeyMayDoEverythingOnIt() {
        Key owner = newKey("creator");
        Key stranger = newKey("stranger");
        String b = bucket("owned");
        owner.s3().createBucket(r -> r.bucket(b));
        assertThat(node.server().keys().permissions(owner.id(), b)).isEqualTo(Permissions.ALL);
        owner.s3().putObject(r -> r.bucket(b).key("o"), RequestBody.fromString("owner's"));
        assertThat(owner.s3().listBuckets().buckets()).extracting(Bucket::name).contains(b);
        assertThat(stranger.s3().listBuckets().buckets()).extracting(Bucket::name).doesNotContain(b);
        denied(() -> stranger.s3().getObjectAsBytes(r -> r.bucket(b).key("o")));

        // the admin key: everything, on a bucket it neither created nor was granted
        assertThat(admin.listBuckets().buckets()).extracting(Bucket::name).contains(b);
        assertThat(admin.getObjectAsBytes(r -> r.bucket(b).key("o")).asUtf8String()).isEqualTo("owner's");
        admin.putObject(r -> r.bucket(b).key("a"), RequestBody.fromString("admin's"));
        String mp = admin.createMultipartUpload(r -> r.bucket(b).key("m")).uploadId();
        admin.abortMultipartUpload(r -> r.bucket(b).key("m").uploadId(mp));
        assertThat(owner.s3().getObjectAsBytes(r -> r.bucket(b).key("a")).asUtf8String()).isEqualTo("admin's");
        admin.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(ObjectIdentifier.builder().key("a").build(),
                ObjectIdentifier.builder().key("o").build())));
        admin.deleteBucket(r -> r.bucket(b));
        assertThat(node.server().keys().permissions(owner.id(), b)).isEqualTo(Permissions.NONE);

        // a bucket of the same name made later is not the creator's
        admin.createBucket(r -> r.bucket(b));
        denied(() -> owner.s3().listObjectsV2(r -> r.bucket(b)));

        // and a creator may delete its own bucket
        String own = bucket("own");
        owner.s3().createBucket(r -> r.bucket(own));
        owner.s3().deleteBucket(r -> r.bucket(own));
        assertThat(admin.listBuckets().buckets()).extracting(Bucket::name).doesNotContain(own);
    }

    @Test
    void noSecretReachesTheLog() throws Exception {
        Key k = newKey("quiet");
        String b = bucket("quiet");
        adminBucket(b);
        denied(() -> k.s3().getObjectAsBytes(r -> r.bucket(b).key("k")));
        grant("allow", k, b, "--read");
        k.s3().getObjectAsBytes(r -> r.bucket(b).key("k"));
        try (S3Client wrong = node.client(k.id(), k.secret() + "x", false)) {
            assertThatThrownBy(() -> wrong.listBuckets()).isInstanceOf(S3Exception.class);
        }
        tessera("key", "delete", k.id());
        assertThat(node.server().keys().find(k.id())).isEmpty();

        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the capture sees the node's log").contains("created access key " + k.id(),
                "deleted access key " + k.id());
        for (String secret : secrets) {
            assertThat(logged).doesNotContain(secret);
        }
    }

    /** Writes to the console and to the captured log. */
    private static final class Tee extends OutputStream {
        private final PrintStream console;
        private final ByteArrayOutputStream captured;

        Tee(PrintStream console, ByteArrayOutputStream captured) {
            this.console = console;
            this.captured = captured;
        }

        @Override
        public void write(int c) {
            captured.write(c);
            console.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            captured.write(buf, off, len);
            console.write(buf, off, len);
        }

        @Override
        public void flush() {
            console.flush();
        }
    }
}
