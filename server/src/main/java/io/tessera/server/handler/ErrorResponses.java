package io.tessera.server.handler;

import io.tessera.server.error.ErrorMapper;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.ErrorResponder;
import io.tessera.server.http.RequestIds;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.xml.ErrorDocument;
import io.tessera.server.xml.S3Xml;

/**
 * Renders failures as S3 answers: the status of the error code and an {@code <Error>} document
 * (Code, Message, details, Resource, RequestId, HostId); HEAD answers carry the status only. Every 503
 * (SlowDown, ServiceUnavailable) carries {@code Retry-After}, here and nowhere else, so no refusal can
 * forget it. Thread-safe.
 */
public final class ErrorResponses implements ErrorResponder {
    private final RequestIds ids;
    private final String retryAfterSeconds;

    /**
     * @param retryAfterSeconds what {@code Retry-After} asks of a client refused with 503 (the AWS SDK for
     *                          Java waits at least that long before its retry)
     */
    public ErrorResponses(RequestIds ids, int retryAfterSeconds) {
        this.ids = ids;
        this.retryAfterSeconds = Integer.toString(retryAfterSeconds);
    }

    @Override
    public S3Response toResponse(S3Request request, Throwable failure) {
        S3Exception e = ErrorMapper.toS3(failure, request == null ? null : request.requestId());
        int status = e.code().httpStatus();
        S3Response r;
        if (request != null && request.isHead()) {
            r = S3Response.status(status);
        } else {
            String resource = request == null ? null : request.rawPath();
            ErrorDocument doc = ErrorDocument.of(e, resource, request == null ? null : request.requestId(),
                    ids.hostId());
            r = S3Response.xml(status, S3Xml.toBytes(doc));
        }
        e.headers().forEach(r::header);
        if (status == 503) {
            r.header("Retry-After", retryAfterSeconds);
        }
        return r.errorCode(e.code().awsCode());
    }
}
