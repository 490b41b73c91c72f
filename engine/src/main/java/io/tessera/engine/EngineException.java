package io.tessera.engine;

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

    public static EngineException io(String what, Throwable cause) {
        return new EngineException(ErrorCode.IO_ERROR, what + ": " + cause, cause);
    }

    @Override
    public String toString() {
        return "EngineException[" + code + "]: " + getMessage();
    }
}
