package io.tessera.server.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny, independent SigV4 signer for hand-made test requests: the test supplies the canonical URI
 * and canonical query itself, so nothing of the production canonicalisation is reused.
 */
final class ReferenceSigner {
    private ReferenceSigner() {
    }

    /**
     * Returns the signature for a request whose signed headers (lower-case name → canonical value)
     * are {@code signed}.
     */
    static String signature(String secret, String region, String amzDate, String method, String canonicalUri,
            String canonicalQuery, Map<String, String> signed, String payloadHash) {
        TreeMap<String, String> sorted = new TreeMap<>(signed);
        StringBuilder cr = new StringBuilder();
        cr.append(method).append('\n').append(canonicalUri).append('\n').append(canonicalQuery).append('\n');
        sorted.forEach((k, v) -> cr.append(k).append(':').append(v).append('\n'));
        cr.append('\n').append(String.join(";", sorted.keySet())).append('\n').append(payloadHash);
        String date = amzDate.substring(0, 8);
        String sts = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + date + "/" + region + "/s3/aws4_request\n"
                + TestCrypto.sha256Hex(cr.toString());
        return TestCrypto.hex(TestCrypto.hmac(TestCrypto.signingKey(secret, date, region), sts));
    }

    /** An Authorization header value. */
    static String authorization(String accessKey, String region, String amzDate, List<String> signedNames,
            String signature) {
        List<String> names = new ArrayList<>(signedNames);
        names.sort(null);
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + amzDate.substring(0, 8) + "/" + region
                + "/s3/aws4_request, SignedHeaders=" + String.join(";", names) + ", Signature=" + signature;
    }
}
