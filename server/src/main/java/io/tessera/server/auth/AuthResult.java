package io.tessera.server.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a successful {@link SigV4Verifier#verify} established: who signed, how the body is protected,
 * and what a streaming body decoder needs to continue the signature chain. Immutable.
 *
 * @param credential the signer's credential
 * @param payloadMode how the body must be checked (see {@link AwsChunkedDecoder}, {@link PayloadHashVerifier})
 * @param signingKey the derived SigV4 signing key (a copy is returned on every call)
 * @param seedSignature the request's own signature (lower-case hex), the seed of a chunk signature chain
 * @param amzDate the request timestamp as signed, {@code yyyyMMdd'T'HHmmss'Z'}
 * @param scope the credential scope, {@code yyyymmdd/region/s3/aws4_request}
 * @param contentSha256 the declared {@code x-amz-content-sha256} value (for presigned URLs, the value
 *     that was signed: {@code UNSIGNED-PAYLOAD} unless {@code X-Amz-Content-Sha256} was in the query)
 * @param presigned whether the request was authenticated by query parameters
 */
public record AuthResult(Credential credential, PayloadMode payloadMode, byte[] signingKey, String seedSignature,
        String amzDate, String scope, String contentSha256, boolean presigned) {

    /** Checks non-null components and copies the key. */
    public AuthResult {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(payloadMode, "payloadMode");
        signingKey = Objects.requireNonNull(signingKey, "signingKey").clone();
        Objects.requireNonNull(seedSignature, "seedSignature");
        Objects.requireNonNull(amzDate, "amzDate");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(contentSha256, "contentSha256");
    }

    /** A copy of the signing key. */
    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthResult r && credential.equals(r.credential) && payloadMode == r.payloadMode
                && Arrays.equals(signingKey, r.signingKey) && seedSignature.equals(r.seedSignature)
                && amzDate.equals(r.amzDate) && scope.equals(r.scope) && contentSha256.equals(r.contentSha256)
                && presigned == r.presigned;
    }

    @Override
    public int hashCode() {
        return Objects.hash(credential, payloadMode, seedSignature, amzDate, scope, contentSha256, presigned);
    }

    @Override
    public String toString() {
        return "AuthResult[accessKeyId=" + credential.accessKeyId() + ", payloadMode=" + payloadMode
                + ", amzDate=" + amzDate + ", scope=" + scope + ", presigned=" + presigned + "]";
    }
}
