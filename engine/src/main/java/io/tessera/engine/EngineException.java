package io.tessera.engine;

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

    public static EngineException io(String what, Throwable cause) {
        return new EngineException(ErrorCode.IO_ERROR, what + ": " + cause, cause);
    }

    @Override
    public String toString() {
        return "EngineException[" + code + "]: " + getMessage();
    }
}
