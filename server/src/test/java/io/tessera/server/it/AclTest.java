package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Canned ACLs through a real node: Get/Put Bucket/Object ACL with the SDK (headers and policy documents),
 * and what {@code public-read} opens to requests without any signature (raw HTTP): GET and HEAD of the
 * object, or of every object of a public bucket, and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AclTest {
    private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    Path dir;
    TestNode node;
    S3Client s3;

    @BeforeAll
    void start() {
        dir = TempDirs.create("tessera-acl");
        node = TestNode.start(dir);
        s3 = node.client(false);
        s3.createBucket(b -> b.bucket("priv"));
        s3.createBucket(b -> b.bucket("pub"));
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

    /** An unsigned request. */
    private RawHttp.Response anonymous(String method, String pathAndQuery) {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(method + " " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + node.port()
                    + "\r\nContent-Length: 0\r\n\r\n");
            return c.read(!method.equals("HEAD"));
        }
    }

    private static Grant grant(Grantee g, Permission p) {
        return Grant.builder().grantee(g).permission(p).build();
    }

    private static Grantee owner() {
        return Grantee.builder().type(Type.CANONICAL_USER).id(TestNode.OWNER_ID).build();
    }

    private static Grantee allUsers() {
        return Grantee.builder().type(Type.GROUP).uri(ALL_USERS).build();
    }

    @Test
    void aPublicObjectIsReadableWithoutASignatureAndNothingElseIs() {
        s3.putObject(r -> r.bucket("priv").key("open").acl(ObjectCannedACL.PUBLIC_READ).contentType("text/plain")
                .metadata(Map.of("m", "v")), RequestBody.fromString("hello world"));
        s3.putObject(r -> r.bucket("priv").key("closed"), RequestBody.fromString("secret"));

        RawHttp.Response get = anonymous("GET", "/priv/open");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text()).isEqualTo("hello world");
        assertThat(get.headers()).containsEntry("content-type", "text/plain").containsEntry("x-amz-meta-m", "v")
                .doesNotContainKey("tessera:acl");
        assertThat(anonymous("HEAD", "/priv/open").status()).isEqualTo(200);
        RawHttp.Response range = anonymousWith("GET", "/priv/open", "Range: bytes=0-4");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("hello");

        RawHttp.Response closed = anonymous("GET", "/priv/closed");
        assertThat(closed.status()).isEqualTo(403);
        assertThat(closed.text()).contains("<Code>AccessDenied</Code>").doesNotContain("secret");
        assertThat(anonymous("HEAD", "/priv/closed").status()).isEqualTo(403);
        assertThat(anonymous("GET", "/priv/missing").status()).as("keys of a private bucket stay hidden")
                .isEqualTo(403);
        RawHttp.Response overrides = anonymous("GET", "/priv/open?response-content-type=x/y");
        assertThat(overrides.status()).isEqualTo(400);
        assertThat(overrides.text()).contains("<Code>InvalidRequest</Code>")
                .contains("Request specific response headers cannot be used for anonymous GET requests.");

        for (String[] req : List.of(new String[] {"GET", "/"}, new String[] {"GET", "/priv"},
                new String[] {"GET", "/priv?list-type=2"}, new String[] {"PUT", "/priv/open"},
                new String[] {"DELETE", "/priv/open"}, new String[] {"GET", "/priv/open?tagging"},
                new String[] {"GET", "/priv/open?acl"}, new String[] {"PUT", "/priv/open?acl"},
                new String[] {"POST", "/priv/open?uploads"}, new String[] {"PUT", "/newbucket"},
                new String[] {"HEAD", "/priv"}, new String[] {"GET", "/priv?acl"}, new String[] {"GET", "/priv?cors"},
                new String[] {"GET", "/priv?versioning"}, new String[] {"PATCH", "/priv/open"})) {
            RawHttp.Response r = anonymous(req[0], req[1]);
            assertThat(r.status()).as(req[0] + " " + req[1]).isEqualTo(403);
        }
        assertThat(s3.getObjectAsBytes(r -> r.bucket("priv").key("open")).asUtf8String()).isEqualTo("hello world");
        assertThat(anonymous("GET", "/no-such-bucket/open").status()).isEqualTo(404);
    }

    private RawHttp.Response anonymousWith(String method, String path, String header) {
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + node.port() + "\r\n" + header + "\r\n\r\n");
            return c.read(true);
        }
    }

    @Test
    void aPublicBucketOpensReadsOfAllItsObjectsButNotItsListing() {
        s3.putObject(r -> r.bucket("pub").key("a/b.txt"), RequestBody.fromString("in a public bucket"));
        assertThat(anonymous("GET", "/pub/a/b.txt").status()).isEqualTo(403);

        s3.putBucketAcl(r -> r.bucket("pub").acl(BucketCannedACL.PUBLIC_READ));
        assertThat(s3.getBucketAcl(r -> r.bucket("pub")).grants())
                .containsExactlyInAnyOrder(grant(owner(), Permission.FULL_CONTROL), grant(allUsers(), Permission.READ));

        RawHttp.Response get = anonymous("GET", "/pub/a/b.txt");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text()).isEqualTo("in a public bucket");
        RawHttp.Response missing = anonymous("GET", "/pub/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).contains("<Code>NoSuchKey</Code>");
        assertThat(anonymous("GET", "/pub").status()).isEqualTo(403);
        assertThat(anonymous("PUT", "/pub/new").status()).isEqualTo(403);
        assertThat(anonymous("DELETE", "/pub/a/b.txt").status()).isEqualTo(403);

        s3.putBucketAcl(r -> r.bucket("pub").acl(BucketCannedACL.PRIVATE));
        assertThat(s3.getBucketAcl(r -> r.bucket("pub")).grants()).containsExactly(grant(owner(), Permission.FULL_CONTROL));
        assertThat(anonymous("GET", "/pub/a/b.txt").status()).isEqualTo(403);
    }

    @Test
    void aBucketCanBeCreatedPublic() {
        s3.createBucket(b -> b.bucket("born-public").acl(BucketCannedACL.PUBLIC_READ));
        s3.putObject(r -> r.bucket("born-public").key("k"), RequestBody.fromString("open"));
        assertThat(anonymous("GET", "/born-public/k").text()).isEqualTo("open");
        assertThat(s3.getBucketAcl(r -> r.bucket("born-public")).grants()).hasSize(2);

        S3Exception e = catchThrowableOfType(S3Exception.class, () -> s3.createBucket(b -> b.bucket("born-rw")
                .acl(BucketCannedACL.PUBLIC_READ_WRITE)));
        assertThat(e.statusCode()).isEqualTo(501);
        assertThat(catchThrowableOfType(S3Exception.class, () -> s3.headBucket(b -> b.bucket("born-rw")))
                .statusCode()).isEqualTo(404);
    }

    @Test
    void objectAclsChangeWithoutRewritingTheObject() {
        s3.putObject(r -> r.bucket("priv").key("flip"), RequestBody.fromString("flip"));
        GetObjectAclResponse acl = s3.getObjectAcl(r -> r.bucket("priv").key("flip"));
        assertThat(acl.owner().id()).isEqualTo(TestNode.OWNER_ID);
        assertThat(acl.grants()).containsExactly(grant(owner(), Permission.FULL_CONTROL));
        String etag = s3.headObject(r -> r.bucket("priv").key("flip")).eTag();
        long segments = node.segmentBytes();

        s3.putObjectAcl(r -> r.bucket("priv").key("flip").acl(ObjectCannedACL.PUBLIC_READ));
        assertThat(s3.getObjectAcl(r -> r.bucket("priv").key("flip")).grants())
                .containsExactlyInAnyOrder(grant(owner(), Permission.FULL_CONTROL), grant(allUsers(), Permission.READ));
        assertThat(anonymous("GET", "/priv/flip").status()).isEqualTo(200);
        assertThat(s3.headObject(r -> r.bucket("priv").key("flip")).eTag()).isEqualTo(etag);
        assertThat(node.segmentBytes()).isEqualTo(segments);

        // the same, as a policy document: back to private
        s3.putObjectAcl(r -> r.bucket("priv").key("flip").accessControlPolicy(AccessControlPolicy.builder()
                .owner(o -> o.id(TestNode.OWNER_ID)).grants(grant(owner(), Permission.FULL_CONTROL)).build()));
        assertThat(anonymous("GET", "/priv/flip").status()).isEqualTo(403);
        // and to public-read, grants in any order
        s3.putObjectAcl(r -> r.bucket("priv").key("flip").accessControlPolicy(AccessControlPolicy.builder()
                .owner(o -> o.id(TestNode.OWNER_ID))
                .grants(grant(allUsers(), Permission.READ), grant(owner(), Permission.FULL_CONTROL)).build()));
        assertThat(anonymous("GET", "/priv/flip").status()).isEqualTo(200);
        // bucket-owner-full-control is private here
        s3.putObjectAcl(r -> r.bucket("priv").key("flip").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL));
        assertThat(anonymous("GET", "/priv/flip").status()).isEqualTo(403);
    }

    @Test
    void aclsBeyondPrivateAndPublicReadAreRefused() {
        s3.putObject(r -> r.bucket("priv").key("refuse"), RequestBody.fromString("x"));
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> s3.putObjectAcl(r -> r.bucket("priv")
                .key("refuse").acl(ObjectCannedACL.AUTHENTICATED_READ)));
        assertThat(e.statusCode()).isEqualTo(501);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
        e = catchThrowableOfType(S3Exception.class, () -> s3.putBucketAcl(r -> r.bucket("priv")
                .acl(BucketCannedACL.PUBLIC_READ_WRITE)));
        assertThat(e.statusCode()).isEqualTo(501);
        e = catchThrowableOfType(S3Exception.class, () -> s3.putObjectAcl(r -> r.bucket("priv").key("refuse")
                .accessControlPolicy(AccessControlPolicy.builder().owner(o -> o.id(TestNode.OWNER_ID))
                        .grants(grant(owner(), Permission.FULL_CONTROL), grant(allUsers(), Permission.WRITE)).build())));
        assertThat(e.statusCode()).isEqualTo(501);
        e = catchThrowableOfType(S3Exception.class, () -> s3.putObjectAcl(r -> r.bucket("priv").key("refuse")
                .grantRead("uri=\"" + ALL_USERS + "\"")));
        assertThat(e.statusCode()).isEqualTo(501);
        e = catchThrowableOfType(S3Exception.class, () -> s3.putObject(r -> r.bucket("priv").key("refuse2")
                .acl(ObjectCannedACL.PUBLIC_READ_WRITE), RequestBody.fromString("x")));
        assertThat(e.statusCode()).isEqualTo(501);

        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/priv/refuse?acl", Map.of("x-amz-acl", "bogus")));
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("<Code>InvalidArgument</Code>").contains("<ArgumentName>x-amz-acl</ArgumentName>");
        }
        String notAcl = "<AccessControlPolicy><Owner>";
        byte[] body = notAcl.getBytes(StandardCharsets.UTF_8);
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/priv/refuse?acl", Map.of("Content-Length",
                    Integer.toString(body.length), "Content-MD5", md5(body))));
            c.send(body);
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("<Code>MalformedACLError</Code>");
        }
        assertThat(s3.getObjectAcl(r -> r.bucket("priv").key("refuse")).grants()).hasSize(1);

        // an ACL document needs no digest (s3cmd sends none), but one sent must match
        String publicRead = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>"
                + TestNode.OWNER_ID + "</ID><DisplayName>someone</DisplayName></Owner><AccessControlList>"
                + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">"
                + "<URI>" + ALL_USERS + "</URI></Grantee><Permission>READ</Permission></Grant>"
                + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
                + "<ID>" + TestNode.OWNER_ID + "</ID><DisplayName>someone</DisplayName></Grantee>"
                + "<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>";
        byte[] doc = publicRead.getBytes(StandardCharsets.UTF_8);
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/priv/refuse?acl", Map.of("Content-Length",
                    Integer.toString(doc.length), "Content-MD5", md5(body))));
            c.send(doc);
            RawHttp.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("<Code>BadDigest</Code>");
        }
        assertThat(anonymous("GET", "/priv/refuse").status()).isEqualTo(403);
        try (RawHttp c = new RawHttp(node.port())) {
            c.send(RawHttp.signedHead("PUT", node.port(), "/priv/refuse?acl", Map.of("Content-Length",
                    Integer.toString(doc.length))));
            c.send(doc);
            assertThat(c.read(true).status()).isEqualTo(200);
        }
        assertThat(anonymous("GET", "/priv/refuse").status()).isEqualTo(200);
        assertThat(catchThrowableOfType(S3Exception.class, () -> s3.getObjectAcl(r -> r.bucket("priv").key("nokey")))
                .statusCode()).isEqualTo(404);
    }

    @Test
    void copiesStartPrivateUnlessTheyAskOtherwise() {
        s3.putObject(r -> r.bucket("priv").key("pubsrc").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("c"));
        s3.copyObject(r -> r.sourceBucket("priv").sourceKey("pubsrc").destinationBucket("priv").destinationKey("c1"));
        assertThat(anonymous("GET", "/priv/c1").status()).isEqualTo(403);
        s3.copyObject(r -> r.sourceBucket("priv").sourceKey("pubsrc").destinationBucket("priv").destinationKey("c2")
                .acl(ObjectCannedACL.PUBLIC_READ));
        assertThat(anonymous("GET", "/priv/c2").status()).isEqualTo(200);
        String id = s3.createMultipartUpload(r -> r.bucket("priv").key("mp").acl(ObjectCannedACL.PUBLIC_READ)).uploadId();
        String etag = s3.uploadPart(r -> r.bucket("priv").key("mp").uploadId(id).partNumber(1),
                RequestBody.fromString("mp")).eTag();
        s3.completeMultipartUpload(r -> r.bucket("priv").key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertThat(anonymous("GET", "/priv/mp").text()).isEqualTo("mp");
    }

    @Test
    void otherKeysNeedTheirGrantsForAcls() {
        s3.putObject(r -> r.bucket("priv").key("k-acl"), RequestBody.fromString("x"));
        try (S3Client other = node.client(TestNode.OTHER_ACCESS_KEY, TestNode.OTHER_SECRET_KEY, false)) {
            S3Exception e = catchThrowableOfType(S3Exception.class, () -> other.putObjectAcl(r -> r.bucket("priv")
                    .key("k-acl").acl(ObjectCannedACL.PUBLIC_READ)));
            assertThat(e.statusCode()).isEqualTo(403);
            e = catchThrowableOfType(S3Exception.class, () -> other.getBucketAcl(r -> r.bucket("priv")));
            assertThat(e.statusCode()).isEqualTo(403);
        }
        assertThat(anonymous("GET", "/priv/k-acl").status()).isEqualTo(403);
    }

    private static String md5(byte[] body) {
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5")
                    .digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
