package io.tessera.server.keys;

import java.util.ArrayList;
import java.util.List;

/**
 * What one key may do on one bucket. Immutable.
 *
 * @param read  GET, HEAD and the listings
 * @param write PUT, DELETE and multipart uploads
 * @param owner changes to the bucket itself
 */
public record Permissions(boolean read, boolean write, boolean owner) {
    public static final Permissions NONE = new Permissions(false, false, false);
    public static final Permissions ALL = new Permissions(true, true, true);

    /** Whether these permissions allow {@code access}. */
    public boolean allows(Access access) {
        return switch (access) {
            case READ -> read;
            case WRITE -> write;
            case OWNER -> owner;
        };
    }

    /** As the replicated state stores them: read 1, write 2, owner 4. */
    public int bits() {
        return (read ? 1 : 0) | (write ? 2 : 0) | (owner ? 4 : 0);
    }

    /** The permissions {@link #bits()} gave. */
    public static Permissions fromBits(int bits) {
        return new Permissions((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0);
    }

    public boolean isNone() {
        return !read && !write && !owner;
    }

    /** These and {@code more}. */
    public Permissions plus(Permissions more) {
        return new Permissions(read || more.read, write || more.write, owner || more.owner);
    }

    /** These without {@code less}. */
    public Permissions minus(Permissions less) {
        return new Permissions(read && !less.read, write && !less.write, owner && !less.owner);
    }

    /** The names of the permissions held, in the order read, write, owner. */
    public List<String> names() {
        List<String> out = new ArrayList<>(3);
        for (Access a : Access.values()) {
            if (allows(a)) {
                out.add(name(a));
            }
        }
        return out;
    }

    /** The name of one permission, as the key file and the command line spell it. */
    public static String name(Access a) {
        return a.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Just {@code a}. */
    public static Permissions of(Access a) {
        return new Permissions(a == Access.READ, a == Access.WRITE, a == Access.OWNER);
    }

    @Override
    public String toString() {
        return isNone() ? "none" : String.join(",", names());
    }
}
