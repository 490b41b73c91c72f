package io.tessera.server.observe;

import java.time.Instant;

/**
 * One finished S3 request as the node's metrics and access log see it.
 *
 * @param time           when its headers arrived
 * @param requestId      the node's {@code x-amz-request-id}
 * @param method         the HTTP method
 * @param accessKeyId    the key it was signed with (or claimed, when refused), or null
 * @param operation      the S3 operation, or null when the request was refused before it was routed
 * @param bucket         the bucket, or null
 * @param key            the object key, or null
 * @param status         the HTTP status answered
 * @param errorCode      the S3 error code of an error answer, or null
 * @param bytesIn        body bytes received (as sent, framing included)
 * @param bytesOut       body bytes of the answer
 * @param durationNanos  from the headers' arrival to the answer's last byte written (or the failure to write it)
 * @param complete       whether the answer was written in full; false when the connection failed or closed first
 */
public record RequestRecord(Instant time, String requestId, String method, String accessKeyId, String operation,
                            String bucket, String key, int status, String errorCode, long bytesIn, long bytesOut,
                            long durationNanos, boolean complete) {
}
