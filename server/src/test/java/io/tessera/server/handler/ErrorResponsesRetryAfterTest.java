package io.tessera.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.Headers;
import io.tessera.server.http.RequestIds;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Every 503 the node renders carries Retry-After, whatever led to it; other errors do not. */
class ErrorResponsesRetryAfterTest {
    private final ErrorResponses errors = new ErrorResponses(new RequestIds(), 7);

    private static S3Request request(String method) {
        return new S3Request(method, "/b/k", new Headers(), "ID", 0, false, false, Instant.now());
    }

    @Test
    void slowDownAndServiceUnavailableCarryRetryAfter() {
        S3Response slow = errors.toResponse(request("PUT"), new S3Exception(S3ErrorCode.SLOW_DOWN));
        assertThat(slow.statusCode()).isEqualTo(503);
        assertThat(slow.headers().get("Retry-After")).isEqualTo("7");
        assertThat(new String(((S3Response.Bytes) slow.body()).data(), StandardCharsets.UTF_8))
                .contains("<Code>SlowDown</Code>").contains("<Message>Please reduce your request rate.</Message>");
        S3Response shuttingDown = errors.toResponse(request("GET"), new RejectedExecutionException("closed"));
        assertThat(shuttingDown.statusCode()).isEqualTo(503);
        assertThat(shuttingDown.headers().get("Retry-After")).isEqualTo("7");
        S3Response head = errors.toResponse(request("HEAD"), new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(head.statusCode()).isEqualTo(503);
        assertThat(head.headers().get("Retry-After")).isEqualTo("7");
    }

    @Test
    void otherErrorsDoNot() {
        S3Response timeout = errors.toResponse(request("PUT"), new S3Exception(S3ErrorCode.REQUEST_TIMEOUT));
        assertThat(timeout.statusCode()).isEqualTo(400);
        assertThat(timeout.headers().get("Retry-After")).isNull();
        S3Response internal = errors.toResponse(request("GET"), new S3Exception(S3ErrorCode.INTERNAL_ERROR));
        assertThat(internal.headers().get("Retry-After")).isNull();
    }
}
