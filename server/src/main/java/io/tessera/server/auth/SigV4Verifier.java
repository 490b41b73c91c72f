package io.tessera.server.auth;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Verifies AWS Signature Version 4 on S3 requests, both forms: the {@code Authorization} header and
 * presigned URLs (query parameters). Only {@code AWS4-HMAC-SHA256} with service {@code s3} and this
 * node's region is accepted; SigV2 and SigV4a are refused.
 *
 * <p>On success the result tells how the body is protected ({@link PayloadMode}); the caller must then
 * check the body with {@link PayloadHashVerifier} or {@link AwsChunkedDecoder} before committing
 * anything. On failure an {@link S3Exception} carries the S3 error code.
 *
 * <p>Thread-safe; one instance serves the whole server. Signing keys are cached per
 * (secret, date, region).
 */
public final class SigV4Verifier {
    /** The default allowed clock difference, as S3. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(15);
    /** Longest presigned URL lifetime, in seconds (7 days). */
    public static final long MAX_PRESIGNED_EXPIRES = 604_800;

    static final String X_AMZ_ALGORITHM = "X-Amz-Algorithm";
    static final String X_AMZ_CREDENTIAL = "X-Amz-Credential";
    static final String X_AMZ_DATE = "X-Amz-Date";
    static final String X_AMZ_EXPIRES = "X-Amz-Expires";
    static final String X_AMZ_SIGNED_HEADERS = "X-Amz-SignedHeaders";
    static final String X_AMZ_SIGNATURE = "X-Amz-Signature";
    static final String X_AMZ_CONTENT_SHA256 = "X-Amz-Content-Sha256";

    private static final String SIGV2_MESSAGE = "Signature Version 2 is not supported;"
            + " sign requests with AWS Signature Version 4 (AWS4-HMAC-SHA256).";
    private static final String MISSING_DATE_MESSAGE = "AWS authentication requires a valid Date or x-amz-date header";

    private final CredentialStore credentials;
    private final String region;
    private final Duration maxSkew;
    private final SigningKeyCache keys = new SigningKeyCache();

    /** A verifier for {@code region} allowing {@link #DEFAULT_MAX_SKEW}. */
    public SigV4Verifier(CredentialStore credentials, String region) {
        this(credentials, region, DEFAULT_MAX_SKEW);
    }

    /** A verifier for {@code region} allowing {@code maxSkew} between request time and {@code now}. */
    public SigV4Verifier(CredentialStore credentials, String region, Duration maxSkew) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.region = Objects.requireNonNull(region, "region");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
    }

    /** The region this verifier accepts in credential scopes. */
    public String region() {
        return region;
    }

    /**
     * Authenticates {@code req} as of {@code now}.
     *
     * @return who signed and how the body is protected
     * @throws S3Exception {@code AccessDenied} (no or unsupported authentication, missing date, expired
     *     or not-yet-valid presigned URL, unsigned {@code x-amz-*} headers), {@code InvalidAccessKeyId},
     *     {@code SignatureDoesNotMatch}, {@code RequestTimeTooSkewed}, {@code AuthorizationHeaderMalformed},
     *     {@code AuthorizationQueryParametersError}, {@code InvalidRequest} (header auth without
     *     {@code x-amz-content-sha256}) or {@code InvalidArgument} (bad {@code x-amz-content-sha256},
     *     two authentication mechanisms)
     */
    public AuthResult verify(SigV4Request req, Instant now) {
        List<String> authorization = req.headers("Authorization");
        QueryString query = QueryString.parse(req.rawQuery());
        boolean presigned = query.has(X_AMZ_ALGORITHM) || query.has(X_AMZ_CREDENTIAL) || query.has(X_AMZ_SIGNATURE);
        if (!authorization.isEmpty()) {
            if (presigned) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Only one auth mechanism allowed; only the"
                        + " X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization"
                        + " header should be specified");
            }
            if (authorization.size() > 1) {
                throw malformedHeader("The authorization header is malformed; more than one Authorization header.");
            }
            return verifyHeader(req, query, authorization.get(0).trim(), now);
        }
        if (presigned) {
            return verifyPresigned(req, query, now);
        }
        if (query.has("AWSAccessKeyId") || query.has("Signature")) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, SIGV2_MESSAGE);
        }
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied");
    }

    /**
     * The access key id a request names (in its {@code Authorization} header or {@code X-Amz-Credential}),
     * unchecked: for logging who a refused request claimed to be. Null when it names none.
     */
    public static String claimedAccessKeyId(SigV4Request req) {
        List<String> authorization = req.headers("Authorization");
        String credential = null;
        if (authorization.size() == 1) {
            AuthorizationHeader auth = AuthorizationHeader.parse(authorization.get(0).trim());
            credential = auth == null ? null : auth.credential();
        } else if (authorization.isEmpty()) {
            List<String> values = QueryString.parse(req.rawQuery()).values(X_AMZ_CREDENTIAL);
            credential = values.size() == 1 ? values.get(0) : null;
        }
        if (credential == null) {
            return null;
        }
        int slash = credential.indexOf('/');
        String id = slash < 0 ? credential : credential.substring(0, slash);
        return id.isEmpty() ? null : id;
    }

    private AuthResult verifyHeader(SigV4Request req, QueryString query, String value, Instant now) {
        if (value.startsWith("AWS ")) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, SIGV2_MESSAGE);
        }
        if (!value.startsWith(AuthorizationHeader.PREFIX)) {
            throw malformedHeader("The authorization header is malformed; only the AWS4-HMAC-SHA256 algorithm"
                    + " (Signature Version 4) is supported.");
        }
        AuthorizationHeader auth = AuthorizationHeader.parse(value);
        if (auth == null) {
            throw malformedHeader("The authorization header is malformed.");
        }
        CredentialScope scope = CredentialScope.parse(auth.credential());
        if (scope == null || !scope.hasValidDate()) {
            throw malformedHeader("The authorization header is malformed; the Credential is mal-formed;"
                    + " expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        checkScope(scope, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, "The authorization header is malformed; ");

        String amzDate = requestDate(req);
        if (!amzDate.startsWith(scope.date())) {
            throw malformedHeader("The authorization header is malformed; Invalid credential date."
                    + " Date is not the same as X-Amz-Date.");
        }
        if (!auth.signedHeaders().contains("host")) {
            throw malformedHeader("The authorization header is malformed; SignedHeaders must include host.");
        }
        String contentSha = req.header("x-amz-content-sha256").orElse(null);
        if (contentSha == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Missing required header for this request: x-amz-content-sha256");
        }
        contentSha = contentSha.trim();
        PayloadMode mode = PayloadMode.fromContentSha256(contentSha);
        if (mode == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD,"
                    + " STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
                    + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
                    .with("ArgumentName", "x-amz-content-sha256").with("ArgumentValue", contentSha);
        }
        checkAllAmzHeadersSigned(req, auth.signedHeaders(), null);
        Credential credential = lookup(scope.accessKeyId());

        Instant requestTime = AmzDates.parseAmzDate(amzDate);
        if (Duration.between(requestTime, now).abs().compareTo(maxSkew) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED)
                    .with("RequestTime", amzDate)
                    .with("ServerTime", now.toString())
                    .with("MaxAllowedSkewMilliseconds", Long.toString(maxSkew.toMillis()));
        }
        String canonical = CanonicalRequest.build(req, query, null, auth.signedHeaders(), contentSha);
        return checkSignature(credential, scope, amzDate, canonical, auth.signature(), mode, contentSha, false);
    }

    private AuthResult verifyPresigned(SigV4Request req, QueryString query, Instant now) {
        String algorithm = single(query, X_AMZ_ALGORITHM);
        String credentialParam = single(query, X_AMZ_CREDENTIAL);
        String amzDate = single(query, X_AMZ_DATE);
        String expiresParam = single(query, X_AMZ_EXPIRES);
        String signedHeadersParam = single(query, X_AMZ_SIGNED_HEADERS);
        String signature = single(query, X_AMZ_SIGNATURE);
        if (algorithm == null || credentialParam == null || amzDate == null || expiresParam == null
                || signedHeadersParam == null || signature == null) {
            throw queryError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential,"
                    + " X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        if (!CanonicalRequest.ALGORITHM.equals(algorithm)) {
            throw queryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        CredentialScope scope = CredentialScope.parse(credentialParam);
        if (scope == null || !scope.hasValidDate()) {
            throw queryError("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed;"
                    + " expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        checkScope(scope, S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                "Error parsing the X-Amz-Credential parameter; ");
        Instant requestTime = AmzDates.parseAmzDate(amzDate);
        if (requestTime == null) {
            throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        if (!amzDate.startsWith(scope.date())) {
            throw queryError("Error parsing the X-Amz-Credential parameter; Invalid credential date."
                    + " Date is not the same as X-Amz-Date.");
        }
        long expires = parseExpires(expiresParam);
        List<String> signedHeaders = AuthorizationHeader.parseSignedHeaders(signedHeadersParam);
        if (signedHeaders == null || !signedHeaders.contains("host")) {
            throw queryError("X-Amz-SignedHeaders must be a non-empty list of header names that includes host.");
        }
        // The payload hash of a presigned URL comes from the query; clients may add this header unsigned.
        checkAllAmzHeadersSigned(req, signedHeaders, "x-amz-content-sha256");
        String contentSha = single(query, X_AMZ_CONTENT_SHA256);
        if (contentSha == null) {
            contentSha = PayloadMode.UNSIGNED.token();
        }
        PayloadMode mode = PayloadMode.fromContentSha256(contentSha);
        if (mode == null) {
            throw queryError("X-Amz-Content-Sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.");
        }
        Credential credential = lookup(scope.accessKeyId());

        if (requestTime.isAfter(now.plus(maxSkew))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request is not valid yet")
                    .with("X-Amz-Date", amzDate).with("ServerTime", now.toString());
        }
        Instant expiry = requestTime.plusSeconds(expires);
        if (now.isAfter(expiry)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired")
                    .with("X-Amz-Expires", Long.toString(expires))
                    .with("Expires", expiry.toString())
                    .with("ServerTime", now.toString());
        }
        String canonical = CanonicalRequest.build(req, query, X_AMZ_SIGNATURE, signedHeaders, contentSha);
        return checkSignature(credential, scope, amzDate, canonical, signature, mode, contentSha, true);
    }

    private AuthResult checkSignature(Credential credential, CredentialScope scope, String amzDate, String canonical,
            String provided, PayloadMode mode, String contentSha, boolean presigned) {
        String stringToSign = CanonicalRequest.stringToSign(amzDate, scope.scope(), canonical);
        byte[] signingKey = keys.signingKey(credential.secretKey(), scope.date(), region);
        String expected = Hex.encode(Crypto.hmac(signingKey, stringToSign));
        if (!Crypto.constantTimeEquals(expected, provided) && CanonicalRequest.hasNonAscii(canonical)) {
            // The AWS SDK for Java v2 signs the UTF-8 of a header value but its HTTP clients send one
            // ISO-8859-1 byte per character (aws/aws-sdk-java-v2#2624). Hashing the received bytes that
            // way covers exactly the same bytes, so accepting it lets those clients in and nothing more.
            String latin1Signed = CanonicalRequest.stringToSignOfLatin1Values(amzDate, scope.scope(), canonical);
            String alternative = Hex.encode(Crypto.hmac(signingKey, latin1Signed));
            if (Crypto.constantTimeEquals(alternative, provided)) {
                stringToSign = latin1Signed;
                expected = alternative;
            }
        }
        if (!Crypto.constantTimeEquals(expected, provided)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
                    .with("AWSAccessKeyId", credential.accessKeyId())
                    .with("StringToSign", stringToSign)
                    .with("SignatureProvided", provided)
                    .with("CanonicalRequest", CanonicalRequest.readable(canonical));
        }
        return new AuthResult(credential, mode, signingKey, expected, amzDate, scope.scope(), contentSha, presigned);
    }

    /**
     * Verifies a browser form upload's signature (SigV4 POST): {@code x-amz-signature} must be the hex
     * HMAC-SHA256 of the {@code policy} field as sent, under the signing key of {@code x-amz-credential}.
     * The policy's own expiration, not the clock skew, bounds how long such a form is valid.
     *
     * @return who signed; the body counts as unsigned (the policy's conditions govern it)
     * @throws S3Exception {@code InvalidArgument} (algorithm, malformed credential or date, wrong region or
     *     service), {@code InvalidAccessKeyId}, {@code SignatureDoesNotMatch}
     */
    public AuthResult verifyPostPolicy(String algorithm, String credentialField, String amzDate, String policy,
                                       String signature) {
        if (!CanonicalRequest.ALGORITHM.equals(algorithm)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Only the AWS4-HMAC-SHA256 algorithm is supported.")
                    .with("ArgumentName", "x-amz-algorithm").with("ArgumentValue", String.valueOf(algorithm));
        }
        CredentialScope scope = CredentialScope.parse(credentialField);
        if (scope == null || !scope.hasValidDate()) {
            throw postArgument("x-amz-credential", credentialField, "the Credential is mal-formed; expecting"
                    + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        if (!region.equals(scope.region())) {
            throw postArgument("x-amz-credential", credentialField, "the region \"" + scope.region()
                    + "\" is wrong; expecting \"" + region + "\"");
        }
        if (!SigningKeyCache.SERVICE.equals(scope.service()) || !SigningKeyCache.TERMINATOR.equals(scope.terminator())) {
            throw postArgument("x-amz-credential", credentialField, "the Credential is mal-formed; expecting"
                    + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        if (amzDate == null || AmzDates.parseAmzDate(amzDate) == null || !amzDate.startsWith(scope.date())) {
            throw postArgument("x-amz-date", String.valueOf(amzDate),
                    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\" of the credential's day");
        }
        Credential credential = lookup(scope.accessKeyId());
        byte[] signingKey = keys.signingKey(credential.secretKey(), scope.date(), region);
        String expected = Hex.encode(Crypto.hmac(signingKey, policy));
        if (signature == null || !Crypto.constantTimeEquals(expected, signature.toLowerCase(Locale.ROOT))) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
                    .with("AWSAccessKeyId", credential.accessKeyId())
                    .with("StringToSign", policy)
                    .with("SignatureProvided", String.valueOf(signature));
        }
        return new AuthResult(credential, PayloadMode.UNSIGNED, signingKey, expected, amzDate, scope.scope(),
                PayloadMode.UNSIGNED.token(), false);
    }

    private static S3Exception postArgument(String name, String value, String message) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message).with("ArgumentName", name)
                .with("ArgumentValue", value);
    }

    /** The signed timestamp: {@code x-amz-date} as sent, else the {@code Date} header reformatted. */
    private static String requestDate(SigV4Request req) {
        String amzDate = req.header("x-amz-date").map(String::trim).orElse(null);
        if (amzDate != null) {
            if (AmzDates.parseAmzDate(amzDate) == null) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, MISSING_DATE_MESSAGE);
            }
            return amzDate;
        }
        Instant date = req.header("Date").map(AmzDates::parseHttpDate).orElse(null);
        if (date == null) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, MISSING_DATE_MESSAGE);
        }
        return AmzDates.format(date);
    }

    private void checkScope(CredentialScope scope, S3ErrorCode code, String prefix) {
        if (!SigningKeyCache.SERVICE.equals(scope.service())) {
            throw new S3Exception(code, prefix + "incorrect service \"" + scope.service()
                    + "\". This endpoint belongs to \"s3\".");
        }
        if (!SigningKeyCache.TERMINATOR.equals(scope.terminator())) {
            throw new S3Exception(code, prefix + "incorrect terminal \"" + scope.terminator()
                    + "\". This endpoint uses \"aws4_request\".");
        }
        if (!region.equals(scope.region())) {
            throw new S3Exception(code, prefix + "the region '" + scope.region() + "' is wrong; expecting '"
                    + region + "'").with("Region", region);
        }
    }

    /**
     * S3 refuses {@code x-amz-*} headers that the signature does not cover, naming them all: whoever holds a
     * presigned URL must not be able to add a copy source, metadata or a directive to it.
     *
     * @param exempt a lower-case header name allowed unsigned, or null
     */
    private static void checkAllAmzHeadersSigned(SigV4Request req, List<String> signedHeaders, String exempt) {
        List<String> unsigned = new ArrayList<>();
        for (String name : req.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-") && !signedHeaders.contains(lower) && !lower.equals(exempt)) {
                unsigned.add(lower);
            }
        }
        if (!unsigned.isEmpty()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                    "There were headers present in the request which were not signed")
                    .with("HeadersNotSigned", String.join(", ", unsigned));
        }
    }

    private Credential lookup(String accessKeyId) {
        return credentials.find(accessKeyId).orElseThrow(() -> new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID)
                .with("AWSAccessKeyId", accessKeyId));
    }

    private static long parseExpires(String s) {
        long expires;
        try {
            expires = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw queryError("X-Amz-Expires should be a number");
        }
        if (expires < 1) {
            throw queryError("X-Amz-Expires must be non-negative");
        }
        if (expires > MAX_PRESIGNED_EXPIRES) {
            throw queryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }
        return expires;
    }

    private static String single(QueryString query, String name) {
        List<String> values = query.values(name);
        if (values.size() > 1) {
            throw queryError("Query-string authentication parameter " + name + " appears more than once.");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static S3Exception malformedHeader(String message) {
        return new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, message);
    }

    private static S3Exception queryError(String message) {
        return new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, message);
    }
}
