package io.tessera.server.error;

import java.util.Map;
import java.util.TreeMap;

/**
 * A failure that reaches the client as an S3 {@code <Error>} document. Extra elements (for example
 * {@code UploadId} or {@code Key}) travel in {@link #details()} and are rendered beside Code and Message.
 */
public final class S3Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final S3ErrorCode code;
    private final Map<String, String> details;
    private final Map<String, String> headers = new TreeMap<>();

    public S3Exception(S3ErrorCode code) {
        this(code, code.defaultMessage());
    }

    public S3Exception(S3ErrorCode code, String message) {
        this(code, message, null);
    }

    public S3Exception(S3ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.details = new TreeMap<>();
    }

    public S3ErrorCode code() {
        return code;
    }

    /** Adds an extra element to the error document, such as {@code UploadId}. */
    public S3Exception with(String element, String value) {
        details.put(element, value);
        return this;
    }

    public Map<String, String> details() {
        return details;
    }

    /** Adds a response header to the error answer, such as {@code x-amz-delete-marker}. */
    public S3Exception withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
