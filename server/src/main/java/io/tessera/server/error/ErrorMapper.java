package io.tessera.server.error;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place where failures become S3 errors. {@link S3Exception}s pass through; each engine
 * {@link ErrorCode} maps to exactly one {@link S3ErrorCode} (the switch is exhaustive, so a new engine
 * code breaks the build until it is mapped here); anything else is an {@code InternalError} whose
 * details are logged and never shown to the client.
 *
 * <p>Stateless and thread-safe.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    /**
     * The S3 error for {@code failure}.
     *
     * @param failure what went wrong (wrappers such as {@link CompletionException} are unwrapped)
     * @param requestId logged with failures of the node itself, to find them from a client's report
     */
    public static S3Exception toS3(Throwable failure, String requestId) {
        Throwable t = unwrap(failure);
        if (t instanceof S3Exception s3) {
            return s3;
        }
        if (t instanceof EngineException e) {
            return fromEngine(e, requestId);
        }
        if (t instanceof RejectedExecutionException) {
            return new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The node is shutting down.");
        }
        LOG.error("request {} failed with an unexpected error", requestId, t);
        return new S3Exception(S3ErrorCode.INTERNAL_ERROR);
    }

    /** The S3 code an engine code stands for. */
    public static S3ErrorCode code(ErrorCode code) {
        return switch (code) {
            case NO_SUCH_BUCKET -> S3ErrorCode.NO_SUCH_BUCKET;
            case BUCKET_ALREADY_EXISTS -> S3ErrorCode.BUCKET_ALREADY_EXISTS;
            case BUCKET_ALREADY_OWNED_BY_YOU -> S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU;
            case BUCKET_NOT_EMPTY -> S3ErrorCode.BUCKET_NOT_EMPTY;
            case NO_SUCH_KEY -> S3ErrorCode.NO_SUCH_KEY;
            case NO_SUCH_UPLOAD -> S3ErrorCode.NO_SUCH_UPLOAD;
            case NO_SUCH_VERSION -> S3ErrorCode.NO_SUCH_VERSION;
            case METHOD_NOT_ALLOWED -> S3ErrorCode.METHOD_NOT_ALLOWED;
            case INVALID_PART -> S3ErrorCode.INVALID_PART;
            case INVALID_PART_ORDER -> S3ErrorCode.INVALID_PART_ORDER;
            case ENTITY_TOO_SMALL -> S3ErrorCode.ENTITY_TOO_SMALL;
            case ENTITY_TOO_LARGE -> S3ErrorCode.ENTITY_TOO_LARGE;
            case EMPTY_PART_LIST -> S3ErrorCode.MALFORMED_XML;
            case INVALID_ARGUMENT -> S3ErrorCode.INVALID_ARGUMENT;
            case INVALID_REQUEST -> S3ErrorCode.INVALID_REQUEST;
            case BAD_DIGEST -> S3ErrorCode.BAD_DIGEST;
            case INVALID_DIGEST -> S3ErrorCode.INVALID_DIGEST;
            case INCOMPLETE_BODY -> S3ErrorCode.INCOMPLETE_BODY;
            case PRECONDITION_FAILED -> S3ErrorCode.PRECONDITION_FAILED;
            case CONDITIONAL_REQUEST_CONFLICT -> S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT;
            case INVALID_RANGE -> S3ErrorCode.INVALID_RANGE;
            case CORRUPTION, IO_ERROR -> S3ErrorCode.INTERNAL_ERROR;
            case SLOW_DOWN -> S3ErrorCode.SLOW_DOWN;
            case CLOSED -> S3ErrorCode.SERVICE_UNAVAILABLE;
        };
    }

    private static S3Exception fromEngine(EngineException e, String requestId) {
        S3ErrorCode code = code(e.code());
        switch (e.code()) {
            case CORRUPTION, IO_ERROR -> {
                LOG.error("request {} failed in the engine: {}", requestId, e, e);
                return new S3Exception(code);
            }
            case CLOSED -> {
                return new S3Exception(code, "The node is shutting down.");
            }
            case EMPTY_PART_LIST, CONDITIONAL_REQUEST_CONFLICT, NO_SUCH_VERSION -> {
                return new S3Exception(code);
            }
            case METHOD_NOT_ALLOWED -> {
                S3Exception s3 = new S3Exception(code).with("Method", "GET").with("ResourceType", "DeleteMarker")
                        .withHeader("Allow", "DELETE");
                return withMarker(s3, e);
            }
            default -> {
                String message = e.getMessage();
                return withMarker(new S3Exception(code, message == null || message.isEmpty() ? code.defaultMessage()
                        : message), e);
            }
        }
    }

    /** The delete marker headers of a read that a delete marker answered. */
    private static S3Exception withMarker(S3Exception s3, EngineException e) {
        EngineException.DeleteMarker m = e.deleteMarker();
        if (m != null) {
            s3.withHeader("x-amz-delete-marker", "true").withHeader("x-amz-version-id", m.versionId())
                    .withHeader("Last-Modified", io.tessera.server.http.HttpDates.format(m.lastModified()));
        }
        return s3;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}
