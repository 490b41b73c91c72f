package io.tessera.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PayloadHashVerifierTest {

    @Property(tries = 100)
    void matchingBodyPassesWhateverTheSplit(@ForAll @Size(max = 5000) byte[] body,
            @ForAll @IntRange(min = 1, max = 700) int split, @ForAll boolean direct) {
        PayloadHashVerifier v = new PayloadHashVerifier(TestCrypto.sha256Hex(body).toUpperCase());
        for (int off = 0; off < body.length; off += split) {
            int n = Math.min(split, body.length - off);
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(n).put(body, off, n).flip() : ByteBuffer.wrap(body, off, n);
            int pos = b.position();
            v.update(b);
            assertThat(b.position()).isEqualTo(pos);
        }
        assertThat(v.length()).isEqualTo(body.length);
        v.finish();
    }

    @Test
    void mismatchIsXAmzContentSha256Mismatch() {
        PayloadHashVerifier v = new PayloadHashVerifier(TestCrypto.sha256Hex("expected"));
        v.update(ByteBuffer.wrap("other".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThatThrownBy(v::finish).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.code()).isEqualTo(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
            assertThat(e.details()).containsEntry("S3ComputedContentSHA256", TestCrypto.sha256Hex("other"));
        });
        assertThatThrownBy(() -> new PayloadHashVerifier("UNSIGNED-PAYLOAD")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forRequestNeedsADeclaredDigest() {
        ChunkedBodies.Context ctx = ChunkedBodies.Context.sample();
        assertThatThrownBy(() -> PayloadHashVerifier.forRequest(ctx.auth(PayloadMode.UNSIGNED)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
