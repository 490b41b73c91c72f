package io.tessera.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * How a multipart object's checksum is derived from its parts.
 *
 * <ul>
 *   <li>{@link #COMPOSITE}: a checksum of the parts' checksums, only meaningful alongside the part count.</li>
 *   <li>{@link #FULL_OBJECT}: the checksum of the whole object's bytes, as if uploaded in one piece; CRCs only,
 *       because only they can be combined without re-reading the data.</li>
 * </ul>
 */
public enum ChecksumType {
    COMPOSITE,
    FULL_OBJECT;

    /**
     * Returns the type with the given name, ignoring case ({@code "full_object"}, {@code "COMPOSITE"}).
     *
     * @throws IllegalArgumentException if no type has that name
     * @throws NullPointerException if {@code name} is null
     */
    public static ChecksumType fromName(String name) {
        String upper = Objects.requireNonNull(name, "name").toUpperCase(Locale.ROOT);
        for (ChecksumType type : values()) {
            if (type.name().equals(upper)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown checksum type: " + name);
    }
}
