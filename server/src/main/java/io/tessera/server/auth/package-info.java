/**
 * AWS Signature Version 4 for S3, free of Netty so it can be tested alone.
 *
 * <p>Per request the server:
 * <ol>
 *   <li>fills a {@link io.tessera.server.auth.SigV4Request} (method, raw path, raw query, headers) and
 *       calls {@link io.tessera.server.auth.SigV4Verifier#verify}, which throws an
 *       {@link io.tessera.server.error.S3Exception} or returns an {@link io.tessera.server.auth.AuthResult};</li>
 *   <li>checks the body according to {@link io.tessera.server.auth.AuthResult#payloadMode()}:
 *       {@link io.tessera.server.auth.PayloadHashVerifier} for a declared SHA-256,
 *       {@link io.tessera.server.auth.AwsChunkedDecoder} for the three aws-chunked forms (it also strips the
 *       framing), nothing for {@code UNSIGNED-PAYLOAD};</li>
 *   <li>commits only after {@code finish()} of that checker returned.</li>
 * </ol>
 *
 * <p>{@link io.tessera.server.auth.SigV4Verifier} and the credential stores are thread-safe; the body
 * checkers are per request and not thread-safe.
 */
package io.tessera.server.auth;
