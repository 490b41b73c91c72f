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
 * (Code, Message, details, Resource, RequestId, HostId); HEAD answers carry the status only.
 * Thread-safe.
 */
public final class ErrorResponses implements ErrorResponder {
    private final RequestIds ids;

    public ErrorResponses(RequestIds ids) {
        this.ids = ids;
    }

    @Override
    public S3Response toResponse(S3Request request, Throwable failure) {
        S3Exception e = ErrorMapper.toS3(failure, request == null ? null : request.requestId());
        int status = e.code().httpStatus();
        String code = e.code().awsCode();
        if (request != null && request.isHead()) {
            return S3Response.status(status).errorCode(code);
        }
        String resource = request == null ? null : request.rawPath();
        ErrorDocument doc = ErrorDocument.of(e, resource, request == null ? null : request.requestId(), ids.hostId());
        return S3Response.xml(status, S3Xml.toBytes(doc)).errorCode(code);
    }
}
