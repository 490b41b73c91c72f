package io.tessera.server.handler;

import io.tessera.server.cors.CorsHeaders;
import io.tessera.server.cors.CorsRules;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.keys.Access;
import io.tessera.server.xml.CorsConfiguration;
import io.tessera.server.xml.S3Xml;
import java.util.List;

/**
 * Put/Get/DeleteBucketCors and the preflight ({@code OPTIONS}) they govern. Preflights are answered
 * without authentication, as in S3: only the bucket's rules decide. The headers of actual cross-origin
 * requests are added by {@link CorsExchange}. Stateless.
 */
final class CorsHandlers {
    void putBucketCors(Call call) {
        ProvenBody.read(call, (e, body, trailers) -> {
            if (body.length > CorsRules.MAX_BYTES) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "A CORS configuration is at most " + CorsRules.MAX_BYTES + " bytes.");
            }
            CorsRules rules = CorsRules.validated(S3Xml.parseCorsConfiguration(body));
            call.bucket(e, call.bucket(), Access.OWNER);
            e.setBucketConfig(call.bucket(), CorsExchange.CONFIG, rules.encode());
            return S3Response.ok();
        });
    }

    void getBucketCors(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.READ);
            byte[] stored = e.bucketConfig(call.bucket(), CorsExchange.CONFIG);
            if (stored == null) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_CORS_CONFIGURATION).with("BucketName", call.bucket());
            }
            return S3Response.xml(200, stored);
        });
    }

    void deleteBucketCors(Call call) {
        call.engine(e -> {
            call.bucket(e, call.bucket(), Access.OWNER);
            e.setBucketConfig(call.bucket(), CorsExchange.CONFIG, null);
            return S3Response.noContent();
        });
    }

    /** {@code OPTIONS /{Bucket}[/{Key}]}: 200 with the matching rule's headers, else 400 or 403. */
    void preflight(Call call) {
        S3Request req = call.req();
        String origin = req.header("Origin");
        if (origin == null) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST, "Insufficient information. Origin request header needed.");
        }
        String method = req.header("Access-Control-Request-Method");
        if (method == null || !CorsRules.METHODS.contains(method)) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST, "Invalid Access-Control-Request-Method: " + method);
        }
        List<String> headers = CorsHeaders.requestedHeaders(req.header("Access-Control-Request-Headers"));
        String resourceType = call.key() == null ? "BUCKET" : "OBJECT";
        call.engine(e -> {
            byte[] stored = e.bucketConfig(call.bucket(), CorsExchange.CONFIG);
            if (stored == null) {
                throw new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN, "CORSResponse: CORS is not enabled for this bucket.")
                        .with("Method", method).with("ResourceType", "BUCKET");
            }
            CorsConfiguration.Rule rule = CorsRules.decode(stored).match(origin, method, headers);
            if (rule == null) {
                throw new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN).with("Method", "OPTIONS")
                        .with("ResourceType", resourceType);
            }
            S3Response r = S3Response.ok();
            CorsHeaders.preflight(r, rule, origin, headers);
            return r;
        });
    }
}
