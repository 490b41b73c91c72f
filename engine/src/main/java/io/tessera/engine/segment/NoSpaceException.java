package io.tessera.engine.segment;

import java.io.IOException;

/**
 * A segment write refused, or failed, for lack of space. Its message starts as the file system's own
 * ENOSPC message does, so that every layer tells it from other I/O failures the same way.
 */
public final class NoSpaceException extends IOException {
    private static final long serialVersionUID = 1L;

    NoSpaceException(String detail) {
        super(DiskErrors.NO_SPACE + ": " + detail);
    }

    NoSpaceException(String detail, IOException cause) {
        super(DiskErrors.NO_SPACE + ": " + detail, cause);
    }
}
