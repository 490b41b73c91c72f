package io.tessera.engine;

/**
 * Why an engine call failed. Each code corresponds to exactly one S3 error code; the server's
 * error mapper is the only place that translates them.
 */
public enum ErrorCode {
    NO_SUCH_BUCKET,
    /** The bucket exists and belongs to another owner. */
    BUCKET_ALREADY_EXISTS,
    BUCKET_ALREADY_OWNED_BY_YOU,
    BUCKET_NOT_EMPTY,
    NO_SUCH_KEY,
    NO_SUCH_UPLOAD,
    /** A well-formed version id that names no version of the key. */
    NO_SUCH_VERSION,
    /** A read named a delete marker by its version id (S3: 405 MethodNotAllowed). */
    METHOD_NOT_ALLOWED,
    /** A listed part is missing or its ETag (or checksum) differs. */
    INVALID_PART,
    INVALID_PART_ORDER,
    /** A part other than the last is below the minimum part size. */
    ENTITY_TOO_SMALL,
    ENTITY_TOO_LARGE,
    /** A Complete request named no parts (S3: MalformedXML). */
    EMPTY_PART_LIST,
    INVALID_ARGUMENT,
    INVALID_REQUEST,
    /** Content-MD5 or a checksum does not match the bytes received. */
    BAD_DIGEST,
    /** Content-MD5 is not a 16-byte digest. */
    INVALID_DIGEST,
    /** Fewer bytes arrived than announced. */
    INCOMPLETE_BODY,
    PRECONDITION_FAILED,
    /**
     * A conditional write lost to a conflicting change of its key while it was under way (S3:
     * 409 ConditionalRequestConflict); retrying it decides afresh.
     */
    CONDITIONAL_REQUEST_CONFLICT,
    INVALID_RANGE,
    /** Stored bytes failed their CRC check: the engine refuses to hand out wrong data. */
    CORRUPTION,
    IO_ERROR,
    /** Every write lane is busy and the write could not wait longer (S3: 503 SlowDown). */
    SLOW_DOWN,
    CLOSED
}
