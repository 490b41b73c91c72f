package io.tessera.server.handler;

import io.tessera.server.xml.Owner;
import java.util.Objects;
import java.util.function.Function;

/**
 * Display names of the owners this node knows (from its keys), by canonical id. The engine stores only
 * the canonical id with each bucket, object and upload. Thread-safe when its lookup is.
 */
public final class Owners {
    private final Function<String, String> displayNames;

    /** Owners named by {@code displayNames}, which answers null for an id it does not know. */
    public Owners(Function<String, String> displayNames) {
        this.displayNames = Objects.requireNonNull(displayNames, "displayNames");
    }

    /** The XML owner for {@code id}; an unknown id is shown as its own display name. */
    public Owner owner(String id) {
        if (id == null) {
            return null;
        }
        String name = displayNames.apply(id);
        return new Owner(id, name != null ? name : id);
    }
}
