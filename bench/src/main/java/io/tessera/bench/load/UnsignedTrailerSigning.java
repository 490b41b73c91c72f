package io.tessera.bench.load;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 with payload signing off, also over plain http, for the sync S3 client
 * ({@code S3Client.builder().putAuthScheme(UnsignedTrailerSigning.scheme())}): UploadPart and
 * PutObject then go out as {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} with the CRC32 trailer, as the
 * SDK sends them over HTTPS.
 *
 * <p>Why the detour: SDK v2's SigV4 signer turns payload signing back on for any http request with a
 * body, whatever {@link AwsV4FamilyHttpSigner#PAYLOAD_SIGNING_ENABLED} says ("use HTTPS for unsigned
 * payloads"). So this signer hands the SDK's own signer the request marked {@code https}, and marks the
 * signed request {@code http} again. The scheme is not part of what SigV4 signs; the {@code Host}
 * header is, and it comes out the same for the non-default ports a node listens on here. Stateless and
 * thread-safe.
 */
final class UnsignedTrailerSigning implements HttpSigner<AwsCredentialsIdentity> {
    private final AwsV4HttpSigner delegate = AwsV4HttpSigner.create();

    private UnsignedTrailerSigning() {
    }

    /** The SigV4 auth scheme of the SDK with this signer in place of its own. */
    static AuthScheme<AwsCredentialsIdentity> scheme() {
        UnsignedTrailerSigning signer = new UnsignedTrailerSigning();
        return new AuthScheme<>() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public HttpSigner<AwsCredentialsIdentity> signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        return signUnsigned(request);
    }

    private <T extends AwsCredentialsIdentity> SignedRequest signUnsigned(SignRequest<T> request) {
        SdkHttpRequest original = request.request();
        String protocol = original.protocol();
        SignRequest<T> asHttps = request.copy(b -> b.request(original.toBuilder().protocol("https").build())
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        SignedRequest signed = delegate.sign(asHttps);
        return signed.copy(b -> b.request(signed.request().toBuilder().protocol(protocol).build()));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        throw new UnsupportedOperationException("the load driver signs with the sync client only");
    }
}
