package io.tessera.server.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs requests with an empty body by SigV4 header authentication, as Tessera's own admin commands
 * send them to a node's admin API. Builds the canonical request with the same code the verifier checks
 * it with; the headers it signs are {@code host}, {@code x-amz-content-sha256} and {@code x-amz-date}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SigV4Signer {
    private static final List<String> SIGNED = List.of("host", "x-amz-content-sha256", "x-amz-date");

    private final String accessKeyId;
    private final String secretKey;
    private final String region;

    public SigV4Signer(String accessKeyId, String secretKey, String region) {
        this.accessKeyId = accessKeyId;
        this.secretKey = secretKey;
        this.region = region;
    }

    /**
     * The headers to send (besides {@code Host}, which must be {@code host} exactly): {@code x-amz-date},
     * {@code x-amz-content-sha256} and {@code Authorization}.
     *
     * @param rawPath  the path as it will be sent, percent-encoded
     * @param rawQuery the query as it will be sent, without {@code ?}, empty when none
     * @param host     the {@code Host} header value ({@code host:port}, the port left out when it is the default)
     */
    public Map<String, String> sign(String method, String rawPath, String rawQuery, String host, Instant now) {
        String amzDate = AmzDates.format(now);
        String date = amzDate.substring(0, 8);
        SigV4Request req = SigV4Request.builder().method(method).rawPath(rawPath).rawQuery(rawQuery)
                .addHeader("host", host).addHeader("x-amz-content-sha256", Crypto.EMPTY_SHA256)
                .addHeader("x-amz-date", amzDate).build();
        String scope = date + "/" + region + "/" + SigningKeyCache.SERVICE + "/" + SigningKeyCache.TERMINATOR;
        String canonical = CanonicalRequest.build(req, QueryString.parse(rawQuery), null, SIGNED, Crypto.EMPTY_SHA256);
        String stringToSign = CanonicalRequest.stringToSign(amzDate, scope, canonical);
        String signature = Hex.encode(Crypto.hmac(SigningKeyCache.derive(secretKey, date, region), stringToSign));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("x-amz-date", amzDate);
        out.put("x-amz-content-sha256", Crypto.EMPTY_SHA256);
        out.put("Authorization", CanonicalRequest.ALGORITHM + " Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=" + String.join(";", SIGNED) + ", Signature=" + signature);
        return out;
    }
}
