package io.tessera.server.cli;

/** An admin command could not do its work; the message says why and what to do, for a person. */
final class AdminException extends RuntimeException {
    AdminException(String message) {
        super(message);
    }

    AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
