package io.tessera.engine;

import io.tessera.engine.internal.DiskErrors;

/**
 * The one exception type of the engine API: a {@link ErrorCode} plus a message that names the
 * resource involved. Unchecked, because every engine call can fail with I/O errors anyway.
 */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public EngineException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public EngineException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
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
