package io.tessera.server.xml;

import java.util.Objects;

/**
 * An {@code <Owner>} or {@code <Initiator>} element: {@code <ID>} and an optional {@code <DisplayName>}.
 *
 * @param id canonical user id, required
 * @param displayName display name, or null to leave the element out
 */
public record Owner(String id, String displayName) {
    public Owner {
        Objects.requireNonNull(id, "id");
    }
}
