package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of the AWS S3 SigV4 documentation ("Signature Calculations for the Authorization
 * Header", "Authenticating Requests: Using Query Parameters", "Transferring Payload in Multiple Chunks").
 */
class AwsDocExamplesTest {
    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final Instant WHEN = Instant.parse("2013-05-24T00:00:00Z");
    static final String HOST = "examplebucket.s3.amazonaws.com";

    final SigV4Verifier verifier = new SigV4Verifier(
            InMemoryCredentialStore.of(new Credential(AKID, SECRET, "owner", "Owner")), "us-east-1");

    static String auth(String signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 Credential=" + AKID + "/20130524/us-east-1/s3/aws4_request,SignedHeaders="
                + signedHeaders + ",Signature=" + signature;
    }

    @Test
    void getObjectWithRange() {
        SigV4Request req = SigV4Request.builder("GET", "/test.txt")
                .addHeader("Host", HOST)
                .addHeader("Range", "bytes=0-9")
                .addHeader("x-amz-content-sha256", EMPTY)
                .addHeader("x-amz-date", "20130524T000000Z")
                .addHeader("Authorization", auth("host;range;x-amz-content-sha256;x-amz-date",
                        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))
                .build();
        AuthResult r = verifier.verify(req, WHEN);
        assertThat(r.credential().accessKeyId()).isEqualTo(AKID);
        assertThat(r.payloadMode()).isEqualTo(PayloadMode.SIGNED_SHA256);
        assertThat(r.contentSha256()).isEqualTo(EMPTY);
        assertThat(r.amzDate()).isEqualTo("20130524T000000Z");
        assertThat(r.scope()).isEqualTo("20130524/us-east-1/s3/aws4_request");
        assertThat(r.seedSignature()).isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        assertThat(r.presigned()).isFalse();
        assertThat(r.signingKey()).isEqualTo(TestCrypto.signingKey(SECRET, "20130524", "us-east-1"));
    }

    @Test
    void putObjectWithRawDollarInPathAndDateHeader() {
        // The client sends "$" raw; the canonical URI must carry "%24".
        String hash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
        assertThat(TestCrypto.sha256Hex("Welcome to Amazon S3.")).isEqualTo(hash);
        for (String path : new String[] {"/test$file.text", "/test%24file.text"}) {
            SigV4Request req = SigV4Request.builder("PUT", path)
                    .addHeader("Host", HOST)
                    .addHeader("Date", "Fri, 24 May 2013 00:00:00 GMT")
                    .addHeader("x-amz-date", "20130524T000000Z")
                    .addHeader("x-amz-storage-class", "REDUCED_REDUNDANCY")
                    .addHeader("x-amz-content-sha256", hash)
                    .addHeader("Authorization", auth("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
                    .build();
            AuthResult r = verifier.verify(req, WHEN);
            PayloadHashVerifier body = PayloadHashVerifier.forRequest(r);
            body.update(ByteBuffer.wrap("Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8)));
            body.finish();
        }
    }

    @Test
    void getBucketLifecycleBareParameter() {
        SigV4Request req = SigV4Request.builder("GET", "/?lifecycle")
                .addHeader("Host", HOST)
                .addHeader("x-amz-content-sha256", EMPTY)
                .addHeader("x-amz-date", "20130524T000000Z")
                .addHeader("Authorization", auth("host;x-amz-content-sha256;x-amz-date",
                        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"))
                .build();
        verifier.verify(req, WHEN);
    }

    @Test
    void listObjectsQuerySorted() {
        SigV4Request req = SigV4Request.builder("GET", "/?prefix=J&max-keys=2")
                .addHeader("Host", HOST)
                .addHeader("x-amz-content-sha256", EMPTY)
                .addHeader("x-amz-date", "20130524T000000Z")
                .addHeader("Authorization", auth("host;x-amz-content-sha256;x-amz-date",
                        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
                .build();
        verifier.verify(req, WHEN);
    }

    static SigV4Request presignedGet() {
        return SigV4Request.builder("GET", "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
                .addHeader("Host", HOST)
                .build();
    }

    @Test
    void presignedGetObject() {
        AuthResult r = verifier.verify(presignedGet(), WHEN);
        assertThat(r.presigned()).isTrue();
        assertThat(r.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(r.contentSha256()).isEqualTo("UNSIGNED-PAYLOAD");
        // Valid for exactly 86400 s, then expired.
        verifier.verify(presignedGet(), WHEN.plusSeconds(86_400));
        assertThatThrownBy(() -> verifier.verify(presignedGet(), WHEN.plusSeconds(86_401)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).isEqualTo("Request has expired");
                });
        // Presigned URLs are not subject to the 15-minute skew until they expire ...
        verifier.verify(presignedGet(), WHEN.plusSeconds(3600));
        // ... but must not be dated in the future beyond the skew.
        assertThatThrownBy(() -> verifier.verify(presignedGet(), WHEN.minusSeconds(16 * 60)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).isEqualTo("Request is not valid yet");
                });
    }

    static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

    static SigV4Request chunkedPut() {
        return SigV4Request.builder("PUT", "/examplebucket/chunkObject.txt")
                .addHeader("Host", "s3.amazonaws.com")
                .addHeader("x-amz-date", "20130524T000000Z")
                .addHeader("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .addHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3"
                        + "/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
                        + "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=" + SEED)
                .addHeader("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .addHeader("Content-Encoding", "aws-chunked")
                .addHeader("x-amz-decoded-content-length", "66560")
                .addHeader("Content-Length", "66824")
                .build();
    }

    static byte[] chunkedBody() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] a64k = new byte[65536];
        Arrays.fill(a64k, (byte) 'a');
        byte[] a1k = Arrays.copyOf(a64k, 1024);
        out.writeBytes(("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(a64k);
        out.writeBytes(("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(a1k);
        out.writeBytes(("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void chunkedUploadSeedAndChunks() {
        AuthResult r = verifier.verify(chunkedPut(), WHEN);
        assertThat(r.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED);
        assertThat(r.seedSignature()).isEqualTo(SEED);
        byte[] wire = chunkedBody();
        assertThat(wire).hasSize(66824);

        AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(r, 66560);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        d.feed(ByteBuffer.wrap(wire), b -> {
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            data.writeBytes(copy);
        });
        assertThat(d.finish().isEmpty()).isTrue();
        assertThat(d.decodedLength()).isEqualTo(66560);
        byte[] expected = new byte[66560];
        Arrays.fill(expected, (byte) 'a');
        assertThat(data.toByteArray()).isEqualTo(expected);
    }

    @Test
    void chunkedUploadDetectsChangedByte() {
        AuthResult r = verifier.verify(chunkedPut(), WHEN);
        byte[] wire = chunkedBody();
        wire[100] = 'b';
        AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(r, 66560);
        assertThatThrownBy(() -> d.feed(ByteBuffer.wrap(wire), b -> { }))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH));
    }
}
