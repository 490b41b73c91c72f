package io.tessera.engine;

import io.tessera.engine.segment.DiskErrors;

/**
 * The one exception type of the engine API: a {@link ErrorCode} plus a message that names the
 * resource involved. Unchecked, because every engine call can fail with I/O errors anyway.
 */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    /** The delete marker behind a NO_SUCH_KEY or METHOD_NOT_ALLOWED, or null. */
    private final DeleteMarker marker;

    /** A delete marker that answered a read: its version id and when it was made. */
    public record DeleteMarker(String versionId, java.time.Instant lastModified) implements java.io.Serializable {
    }

    public EngineException(ErrorCode code, String message, DeleteMarker marker) {
        super(message);
        this.code = code;
        this.marker = marker;
    }

    public EngineException(ErrorCode code, String message) {
        this(code, message, (DeleteMarker) null);
    }

    public EngineException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.marker = null;
    }

    /** The delete marker that made a read fail, or null. */
    public DeleteMarker deleteMarker() {
        return marker;
    }

    public ErrorCode code() {
        return code;
    }

    /** An I/O failure: {@link ErrorCode#STORAGE_FULL} when the file system was out of space, else IO_ERROR. */
    public static EngineException io(String what, Throwable cause) {
        ErrorCode code = DiskErrors.isNoSpace(cause) ? ErrorCode.STORAGE_FULL : ErrorCode.IO_ERROR;
        return new EngineException(code, what + ": " + cause, cause);
    }

    @Override
    public String toString() {
        return "EngineException[" + code + "]: " + getMessage();
    }
}
