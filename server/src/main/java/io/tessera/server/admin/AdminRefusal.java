package io.tessera.server.admin;

/**
 * A request the admin listener refuses, with the answer it gets (an S3-style code and a message, as JSON).
 *
 * <p>Immutable.
 */
public final class AdminRefusal extends RuntimeException {
    private final transient AdminResponse response;
    private final int status;
    private final String code;

    public AdminRefusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.response = AdminApi.failure(status, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public AdminResponse response() {
        return response;
    }
}
