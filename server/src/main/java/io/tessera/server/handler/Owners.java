package io.tessera.server.handler;

import io.tessera.server.xml.Owner;
import java.util.Map;

/**
 * Display names of the owners this node knows (from its credentials), by canonical id. The engine
 * stores only the canonical id with each bucket, object and upload. Immutable.
 */
public final class Owners {
    private final Map<String, String> displayNames;

    public Owners(Map<String, String> displayNames) {
        this.displayNames = Map.copyOf(displayNames);
    }

    /** The XML owner for {@code id}; an unknown id is shown as its own display name. */
    public Owner owner(String id) {
        if (id == null) {
            return null;
        }
        return new Owner(id, displayNames.getOrDefault(id, id));
    }
}
