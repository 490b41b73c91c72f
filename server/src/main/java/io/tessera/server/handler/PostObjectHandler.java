package io.tessera.server.handler;

import io.tessera.server.auth.SigV4Verifier;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.form.FormDataParser;
import java.time.Clock;

/**
 * PostObject: the browser form upload, authenticated by the SigV4 signature of its policy rather than of
 * the request ({@link FormUpload} does the work). Thread-safe.
 */
final class PostObjectHandler {
    private final SigV4Verifier verifier;
    private final Clock clock;

    PostObjectHandler(SigV4Verifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    void postObject(Call call) {
        String boundary = FormDataParser.boundaryOf(call.req().header("Content-Type"));
        if (boundary == null) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED, "At least one of the pre-conditions you specified"
                    + " did not hold").with("Condition", "Bucket POST must be of the enclosure-type multipart/form-data");
        }
        if (boundary.length() > 70) {
            throw new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
        }
        call.exchange().readBody(new FormUpload(call, boundary, verifier, clock));
    }
}
