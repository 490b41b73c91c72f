package io.tessera.server.console;

/**
 * A console request refused, with its answer. Immutable.
 */
final class ConsoleRefusal extends RuntimeException {
    private final transient ConsoleResponse response;

    ConsoleRefusal(int status, String code, String message) {
        super(message, null, false, false);
        this.response = ConsoleResponse.failure(status, code, message);
    }

    ConsoleResponse response() {
        return response;
    }
}
