package io.tessera.engine;

/**
 * The form of version ids: {@code null} names the null version; any other id is 16 lower-case hex
 * digits (the stamp that orders it among the key's versions) then 16 letters or digits. Stateless.
 */
public final class VersionIds {
    /** The id of the version written while versioning was never enabled, or suspended. */
    public static final String NULL = "null";

    private VersionIds() {
    }

    /** True for {@code null} and for ids this engine could have issued. */
    public static boolean isWellFormed(String id) {
        return id != null && (id.equals(NULL) || id.matches("[0-9a-f]{16}[A-Za-z0-9]{16}"));
    }

    /** The ordering stamp inside a well-formed id other than {@code null}. */
    public static long stampOf(String id) {
        return Long.parseUnsignedLong(id.substring(0, 16), 16);
    }
}
