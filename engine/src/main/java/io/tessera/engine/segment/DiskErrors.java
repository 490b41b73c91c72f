package io.tessera.engine.segment;

/**
 * Tells a full file system from other I/O failures. Java reports {@code ENOSPC} and {@code EDQUOT} only
 * as the text of an {@link java.io.IOException}, and RocksDB quotes the same text, so the text is what
 * is looked for, along the whole cause chain. Stateless.
 */
public final class DiskErrors {
    /** What {@code strerror} says for ENOSPC; the engine's own space guard says it too. */
    public static final String NO_SPACE = "No space left on device";
    private static final String QUOTA = "Disk quota exceeded";
    private static final int MAX_DEPTH = 16;

    private DiskErrors() {
    }

    /** Whether {@code failure}, or anything that caused it, is the file system being out of space. */
    public static boolean isNoSpace(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains(NO_SPACE) || m.contains(QUOTA))) {
                return true;
            }
        }
        return false;
    }
}
